package org.ttcspark.model.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.testing.SparkTestSession;

/**
 * The torch engine computes the BigDL encoders: from the same flat weights and running
 * statistics, the same eval-mode projections (ResNet-18/50, both stems) and, in training mode,
 * the same parameter gradient and the same running-statistics update.
 */
@ExtendWith(SparkTestSession.class)
class TorchEncoderSparkTest {
  private static final int CHANNELS = 3;

  private static float[] random(int n, long seed, double scale) {
    Random rng = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextGaussian() * scale);
    }
    return x;
  }

  /** An encoder whose BatchNorm running statistics are not the trivial 0 / 1. */
  private static Sequential<Object> encoder(Backbone backbone, Stem stem, int width, int size) {
    Sequential<Object> model = Encoders.contrastive(
        new ModelConfig(backbone, stem, width, 16, true), CHANNELS, size, 11);
    Tensor<Object>[] extra = model.getExtraParameter();
    Random rng = new Random(5);
    for (int i = 0; i < extra.length; i++) {
      float[] v = Bigdl.floats(extra[i]);
      int off = extra[i].storageOffset() - 1;
      for (int j = 0; j < extra[i].nElement(); j++) {
        v[off + j] = i % 2 == 0 ? (float) (0.1 * rng.nextGaussian())
            : (float) (0.5 + rng.nextDouble());
      }
    }
    return model;
  }

  private static double maxAbs(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static double relative(float[] a, float[] b) {
    double d = 0;
    double n = 0;
    for (int i = 0; i < a.length; i++) {
      d += (double) (a[i] - b[i]) * (a[i] - b[i]);
      n += (double) b[i] * b[i];
    }
    return Math.sqrt(d / n);
  }

  @SuppressWarnings("unchecked")
  private static void sameEvalProjections(Backbone backbone, Stem stem, int width, int size) {
    Sequential<Object> model = encoder(backbone, stem, width, size);
    int batch = 4;
    float[] x = random(batch * CHANNELS * size * size, 3, 1.0);
    model.evaluate();
    float[] expected = Bigdl.toArray((Tensor<Object>) model.forward(
        Bigdl.tensor(x, batch, CHANNELS, size, size)));
    float[] weights = Bigdl.toArray(model.getParameters()._1());
    try (TorchEncoder t = TorchEncoder.of(Layers(model), Device.cpu())) {
      assertEquals(weights.length, t.size());
      float[] got = t.forward(x, new int[] {batch, CHANNELS, size, size}, weights, false);
      double diff = maxAbs(got, expected);
      assertTrue(diff < 1e-4, backbone + " " + stem + ": max abs difference " + diff);
    }
  }

  @org.junit.jupiter.api.BeforeAll
  static void engine() {
    org.ttcspark.platform.Torch.engine(org.ttcspark.platform.RuntimeConfig.from(
        org.ttcspark.config.ConfigLoader.load(java.util.List.of(), java.util.List.of())));
  }

  private static com.intel.analytics.bigdl.nn.abstractnn.AbstractModule<
      com.intel.analytics.bigdl.nn.abstractnn.Activity,
      com.intel.analytics.bigdl.nn.abstractnn.Activity, Object> Layers(Sequential<Object> m) {
    return org.ttcspark.model.bigdl.Layers.any(m);
  }

  @Test
  void resnet18WithEitherStemGivesBigdlsEvalProjections() {
    sameEvalProjections(Backbone.RESNET18, Stem.CIFAR, 8, 8);
    sameEvalProjections(Backbone.RESNET18, Stem.IMAGENET, 8, 32);
  }

  @Test
  void resnet50GivesBigdlsEvalProjections() {
    sameEvalProjections(Backbone.RESNET50, Stem.IMAGENET, 4, 32);
  }

  @Test
  @SuppressWarnings("unchecked")
  void trainingStepGivesBigdlsGradientAndRunningStatistics() {
    int size = 8;
    int batch = 6;
    Sequential<Object> model = encoder(Backbone.RESNET18, Stem.CIFAR, 4, size);
    float[] weights = Bigdl.toArray(model.getParameters()._1());
    float[] x = random(batch * CHANNELS * size * size, 4, 1.0);
    float[] g = random(batch * 16, 6, 0.1);
    try (TorchEncoder t = TorchEncoder.of(Layers(model), Device.cpu())) {
      model.training();
      model.zeroGradParameters();
      Tensor<Object> input = Bigdl.tensor(x, batch, CHANNELS, size, size);
      float[] expectedOut = Bigdl.toArray((Tensor<Object>) model.forward(input));
      model.backward(input, Bigdl.tensor(g, batch, 16));
      float[] expectedGrad = Bigdl.toArray(model.getParameters()._2());
      float[] out = t.forward(x, new int[] {batch, CHANNELS, size, size}, weights, true);
      assertTrue(maxAbs(out, expectedOut) < 1e-4, "training-mode output differs by "
          + maxAbs(out, expectedOut));
      float[] grad = t.backward(g);
      double rel = relative(grad, expectedGrad);
      assertTrue(rel < 1e-3, "relative gradient difference " + rel);
      Tensor<Object>[] extra = model.getExtraParameter();
      float[][] running = t.runningStatistics();
      assertEquals(extra.length, running.length);
      for (int i = 0; i < extra.length; i++) {
        double d = maxAbs(running[i], Bigdl.toArray(extra[i]));
        assertTrue(d < 1e-4, "running statistic " + i + " differs by " + d);
      }
      assertThrows(IllegalStateException.class, () -> t.backward(g),
          "a second backward without a forward");
    }
  }
}
