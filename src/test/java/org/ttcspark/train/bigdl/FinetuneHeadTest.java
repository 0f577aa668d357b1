package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.FinetuneConfig;

/** The head that trains on a frozen backbone starts at zero whatever the features' scale. */
class FinetuneHeadTest {
  private static final int B = 32;
  private static final int F = 16;

  @SuppressWarnings("unchecked")
  private static float maxAbsLogit(float scale) {
    FinetuneConfig ft = FinetuneConfig.from(ConfigLoader.load(List.of(), List.of()));
    AbstractModule<Activity, Activity, Object> head = Finetune.build(null, F, ft, 7);
    head.training();
    Random rng = new Random(1);
    float[] x = new float[B * F];
    for (int i = 0; i < x.length; i++) {
      x[i] = scale * (1 + (float) rng.nextGaussian());
    }
    float[] logits = Bigdl.toArray((Tensor<Object>) head.forward(Bigdl.tensor(x, B, F, 1, 1)));
    float max = 0;
    for (float v : logits) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  @Test
  void theHeadStartsAtZeroWhateverTheScaleOfTheFeatures() {
    assertEquals(0f, maxAbsLogit(1));
    assertEquals(0f, maxAbsLogit(1000));
  }

  @Test
  void aHeadWhoseLossEndsFarAboveChanceHasDiverged() {
    org.junit.jupiter.api.Assertions.assertFalse(Finetune.diverged(0.69), "chance");
    org.junit.jupiter.api.Assertions.assertFalse(Finetune.diverged(3.5), "a bad head");
    org.junit.jupiter.api.Assertions.assertTrue(Finetune.diverged(60673.7),
        "a BCL encoder's frozen features of scale 1e7 under Adam 3e-4");
    org.junit.jupiter.api.Assertions.assertTrue(Finetune.diverged(Double.NaN));
  }
}
