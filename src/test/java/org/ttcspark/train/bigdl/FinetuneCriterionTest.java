package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.loss.ClassBalance;
import org.ttcspark.loss.LdamLoss;
import org.ttcspark.loss.WeightedCrossEntropy;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.FinetuneConfig;

/**
 * {@code finetune.balance} = cb and ldam-drw pick SBCL's second-stage losses, and ldam-drw
 * switches to the class-balanced weights at {@code finetune.ldam.drw-epoch}.
 */
class FinetuneCriterionTest {
  private static final long[] COUNTS = {900, 100};
  private static final float[] LOGITS = {0.3f, -0.2f, 0.1f, 0.4f, -0.5f, 0.25f, 0.9f, -0.7f};
  private static final int[] LABELS = {0, 1, 1, 0};

  private static FinetuneConfig config(String... overrides) {
    return FinetuneConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  private static double value(AbstractCriterion<Activity, Activity, Object> c) {
    float[] target = new float[LABELS.length * 2];
    for (int i = 0; i < LABELS.length; i++) {
      target[2 * i] = LABELS[i];
      target[2 * i + 1] = -1;
    }
    return ((Number) c.forward(Bigdl.tensor(LOGITS, 4, 2), Bigdl.tensor(target, 4, 2)))
        .doubleValue();
  }

  @Test
  void ldamDrwDefersTheClassBalancedWeightsToItsEpoch() {
    FinetuneConfig ft = config("finetune.balance=ldam-drw", "finetune.ldam.drw-epoch=3");
    double uniform = new LdamLoss(COUNTS, 0.5, 30, ClassBalance.uniform(2))
        .compute(LOGITS, LABELS).loss();
    double balanced = new LdamLoss(COUNTS, 0.5, 30, ClassBalance.weights(COUNTS, 0.9999))
        .compute(LOGITS, LABELS).loss();
    assertNotEquals(uniform, balanced, 1e-3);
    assertEquals(uniform, value(Finetune.criterion(ft, COUNTS, 2)), 1e-5);
    assertEquals(balanced, value(Finetune.criterion(ft, COUNTS, 3)), 1e-5);
    assertEquals(balanced, value(Finetune.criterion(ft, COUNTS, 9)), 1e-5);
  }

  @Test
  void cbIsCrossEntropyWithClassBalancedWeights() {
    FinetuneConfig ft = config("finetune.balance=cb", "finetune.cb-beta=0.999");
    double expected = new WeightedCrossEntropy(ClassBalance.weights(COUNTS, 0.999))
        .compute(LOGITS, LABELS).loss();
    assertEquals(expected, value(Finetune.criterion(ft, COUNTS, 1)), 1e-6);
    assertNotEquals(value(Finetune.criterion(config("finetune.balance=none"), COUNTS, 1)),
        expected, 1e-4);
  }
}
