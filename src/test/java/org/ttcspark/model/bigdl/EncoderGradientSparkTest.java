package org.ttcspark.model.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.ViewBatch;
import scala.Tuple2;

/**
 * The gradient chain of the contrastive encoder (ResNet, projection head, BigDL's L2
 * {@code Normalize}, {@link ContrastiveCriterion} on interleaved two-view rows) is the true
 * gradient of the loss, and plain SGD with it separates the samples of a fixed batch: the
 * loss falls far below {@code log(2B - 1)}, the value of a collapsed encoder.
 */
@ExtendWith(SparkTestSession.class)
class EncoderGradientSparkTest {
  private static final int B = 16;
  private static final int SIDE = 8;
  private static final int CHANNELS = 3;

  /** Two noisy views of B random images, interleaved as {@code ViewBatcher} lays them out. */
  private static ViewBatch batch(long seed) {
    Random rng = new Random(seed);
    int plane = CHANNELS * SIDE * SIDE;
    float[] x = new float[2 * B * plane];
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < plane; j++) {
        float v = (float) rng.nextGaussian();
        x[2 * i * plane + j] = v + 0.3f * (float) rng.nextGaussian();
        x[(2 * i + 1) * plane + j] = v + 0.3f * (float) rng.nextGaussian();
      }
    }
    float[] t = new float[2 * B];
    for (int i = 0; i < B; i++) {
      t[2 * i] = i % 2;
      t[2 * i + 1] = -1;
    }
    return new ViewBatch(Bigdl.tensor(x, 2 * B, CHANNELS, SIDE, SIDE), Bigdl.tensor(t, B, 2), 2);
  }

  /** A fresh tiny encoder in training mode, its flat (weights, gradients), SimCLR, a batch. */
  private record Fixture(Sequential<Object> model, Tuple2<Tensor<Object>, Tensor<Object>> p,
      ContrastiveCriterion crit, ViewBatch b) {
    static Fixture create() {
      Sequential<Object> model = Encoders.contrastive(
          new ModelConfig(Backbone.RESNET18, null, 8, 16, true), CHANNELS, SIDE, 7);
      model.training();
      return new Fixture(model, model.getParameters(),
          new ContrastiveCriterion(SupConLoss.simclr(0.1, 0.1), 1), batch(3));
    }
  }

  @SuppressWarnings("unchecked")
  private static float loss(Fixture f) {
    Tensor<Object> out = (Tensor<Object>) f.model().forward(f.b().getInput());
    return (Float) f.crit().forward(out, (Tensor<Object>) f.b().getTarget());
  }

  /** Forward, loss, backward: the model's flat gradient holds dLoss/dWeights. */
  @SuppressWarnings("unchecked")
  private static float lossAndGradient(Fixture f) {
    f.model().zeroGradParameters();
    float value = loss(f);
    Tensor<Object> out = (Tensor<Object>) f.model().output();
    f.model().backward(f.b().getInput(),
        f.crit().backward(out, (Tensor<Object>) f.b().getTarget()));
    return value;
  }

  @Test
  void projectionChainGradientMatchesFiniteDifferences(SparkSession spark) {
    Fixture f = Fixture.create();
    lossAndGradient(f);
    float[] analytic = Bigdl.toArray(f.p()._2());
    float[] w = Bigdl.floats(f.p()._1());
    int off = f.p()._1().storageOffset() - 1;
    int n = analytic.length;
    // head.fc2 bias and weights, head.fc1 weights, and the last backbone stage: the layers
    // whose loss is smooth enough for a float32 central difference
    int[] indices = {n - 1, n - 2, n - 9, n - 20, n - 150, n - 700, n - 1000, n - 3000, n - 4500};
    float h = 1e-3f;
    for (int i : indices) {
      float old = w[off + i];
      w[off + i] = old + h;
      float plus = loss(f);
      w[off + i] = old - h;
      float minus = loss(f);
      w[off + i] = old;
      double numeric = (plus - minus) / (2.0 * h);
      assertEquals(numeric, analytic[i], 0.03 * Math.abs(numeric) + 2e-3,
          "dLoss/dw[" + i + "] of " + n);
    }
  }

  @Test
  void sgdOnFixedBatchDrivesSimclrFarBelowCollapsedLoss(SparkSession spark) {
    Fixture f = Fixture.create();
    double collapsed = Math.log(2 * B - 1);
    float first = Float.NaN;
    float last = Float.NaN;
    for (int it = 0; it < 12; it++) {
      last = lossAndGradient(f);
      if (it == 0) {
        first = last;
      }
      f.p()._1().add(Float.valueOf(-0.05f), f.p()._2());
    }
    assertTrue(last < 0.25 * collapsed && last < first,
        "SimCLR loss after 12 SGD steps on one batch is " + last + " (first " + first
            + "); a collapsed encoder gives log(2B-1) = " + collapsed);
  }
}
