package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.intel.analytics.bigdl.dataset.MiniBatch;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ttcspark.loss.ContrastiveBatch;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.LossBenchmark;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.platform.Bigdl;

/** The two-view batch layout agrees with the loss criterion and BigDL's slicing. */
class ViewBatchTest {
  private static final int B = 8;
  private static final int D = 5;

  /** Unit rows, interleaved: row 2i+v is view v of sample i. */
  private static float[] interleaved(Random rng) {
    return LossBenchmark.randomUnitRows(2 * B, D, rng.nextLong());
  }

  private static ViewBatch batch(float[] z, int[] labels) {
    float[] t = new float[2 * B];
    for (int i = 0; i < B; i++) {
      t[2 * i] = labels[i];
      t[2 * i + 1] = -1;
    }
    return new ViewBatch(Bigdl.tensor(z, 2 * B, D), Bigdl.tensor(t, B, 2), 2);
  }

  @Test
  void criterionOnTheBatchGivesTheCoreLossOfTheViewMajorBatch() {
    Random rng = new Random(3);
    float[] z = interleaved(rng);
    int[] labels = {0, 1, 0, 0, 1, 0, 0, 0};
    ViewBatch b = batch(z, labels);
    ContrastiveLoss loss = SupConLoss.supcon(0.1, 0.1);
    @SuppressWarnings("unchecked")
    float inside = (Float) new ContrastiveCriterion(loss, 1)
        .forward((Tensor<Object>) (Activity) b.getInput(),
            (Tensor<Object>) (Activity) b.getTarget());
    float[] viewMajor = new float[z.length];
    for (int i = 0; i < B; i++) {
      for (int v = 0; v < 2; v++) {
        System.arraycopy(z, (2 * i + v) * D, viewMajor, (v * B + i) * D, D);
      }
    }
    double core = loss.compute(ContrastiveBatch.of(viewMajor, B, 2, D, labels, null), 0).loss();
    assertEquals(core, inside, 1e-5);
  }

  @Test
  void sliceCountsSamplesAndKeepsBothViewsTogether() {
    float[] z = interleaved(new Random(4));
    ViewBatch b = batch(z, new int[] {0, 1, 0, 1, 0, 1, 0, 1});
    assertEquals(B, b.size());
    MiniBatch<Object> second = b.slice(B / 2 + 1, B / 2);
    assertEquals(B / 2, second.size());
    float[] rows = Bigdl.toArray(second.data());
    float[] expected = new float[B * D];
    System.arraycopy(z, B * D, expected, 0, B * D);
    assertArrayEquals(expected, rows);
    assertArrayEquals(new float[] {0, -1, 1, -1, 0, -1, 1, -1}, Bigdl.toArray(second.labels()));
  }
}
