package org.ttcspark.model.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ttcspark.testing.Differences.maxAbs;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
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
import org.ttcspark.platform.Precision;
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

  /**
   * One training step in fp16 (convolutions and linear layers in half precision, cast from the
   * fp32 master vector inside the graph, the loss gradient scaled) gives the fp32 step's output
   * and flat gradient within half precision's rounding (11 significant bits), which
   * training-mode BatchNorm's backward amplifies towards the input layers when a channel's batch
   * is small. Measured here (16 images of 16 px, printed): output relative difference 1.7e-3,
   * gradient 7.8e-2, one step skipped at 2^16 (head 2e-3 to 2e-2, first convolutions about 1e-1); with 6 images of 8 px
   * the gradient's rose to 2.5e-1, unchanged by the loss scale (no underflow: rounding).
   */
  @Test
  void fp16StepIsCloseToTheFp32StepAndKeepsFp32MasterWeightsAndGradients() {
    int size = 16;
    int batch = 16;
    Sequential<Object> model = encoder(Backbone.RESNET18, Stem.CIFAR, 4, size);
    float[] weights = Bigdl.toArray(model.getParameters()._1());
    float[] before = weights.clone();
    float[] x = random(batch * CHANNELS * size * size, 4, 1.0);
    float[] g = random(batch * 16, 6, 0.1);
    int[] shape = {batch, CHANNELS, size, size};
    float[] out32;
    float[] grad32;
    try (TorchEncoder t = TorchEncoder.of(Layers(model), Device.cpu())) {
      out32 = t.forward(x, shape, weights, true);
      grad32 = t.backward(g);
    }
    try (TorchEncoder t = TorchEncoder.of(Layers(model), Device.cpu(), Precision.FP16)) {
      // as the global step does in fp16: the loss gradient scaled, the fp32 gradient unscaled;
      // a non-finite one halves the scale and the step is taken again
      org.ttcspark.train.LossScaler scaler = new org.ttcspark.train.LossScaler();
      float[] out;
      float[] grad;
      int skipped = 0;
      while (true) {
        out = t.forward(x, shape, weights, true);
        double used = scaler.scale();
        grad = t.backward(scaler.scaled(g));
        if (scaler.update(org.ttcspark.train.LossScaler.unscale(grad, 0, grad.length, used))) {
          break;
        }
        assertTrue(++skipped < 16, "the loss scale never gave a finite gradient");
      }
      assertEquals(DataType.FLOAT32, t.gradientType(), "the master vector's gradient is fp32");
      assertEquals(weights.length, grad.length);
      assertArrayEquals(before, weights, "the master weights are read, never rounded");
      double outRel = relative(out, out32);
      double gradRel = relative(grad, grad32);
      System.out.printf("fp16 vs fp32 step: output relative %.2e, gradient relative %.2e, "
          + "loss scale %.0f after %d skipped%n", outRel, gradRel, scaler.scale(), skipped);
      assertTrue(outRel > 0, "fp16 gave fp32's output bit for bit: nothing was cast");
      assertTrue(outRel < 1e-2, "fp16 output differs from fp32 by " + outRel);
      assertTrue(gradRel < 0.15, "fp16 gradient differs from fp32 by " + gradRel);
    }
  }

  @Test
  void bf16IsRefusedBeforeReachingTheNativeBinding() {
    Sequential<Object> model = encoder(Backbone.RESNET18, Stem.CIFAR, 4, 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TorchEncoder.of(Layers(model), Device.cpu(), Precision.BF16));
    assertTrue(e.getMessage().contains("engine.precision = bf16"), e.getMessage());
  }

  /** On a GPU node: the fp16 step on CUDA against the fp32 step on CUDA, as on the CPU. */
  @Test
  @org.junit.jupiter.api.Tag("gpu")
  void fp16StepOnCudaIsCloseToTheFp32Step() {
    ai.djl.engine.Engine engine = org.ttcspark.platform.Torch.engine(
        org.ttcspark.platform.RuntimeConfig.from(org.ttcspark.config.ConfigLoader.load(
            java.util.List.of(), java.util.List.of())));
    org.junit.jupiter.api.Assumptions.assumeTrue(engine.getGpuCount() > 0,
        "no CUDA device visible: this test needs a GPU node and mvn -Pgpu");
    Device gpu = org.ttcspark.platform.Torch.device("cuda", engine);
    int size = 16;
    int batch = 16;
    Sequential<Object> model = encoder(Backbone.RESNET18, Stem.CIFAR, 4, size);
    float[] weights = Bigdl.toArray(model.getParameters()._1());
    float[] x = random(batch * CHANNELS * size * size, 4, 1.0);
    float[] g = random(batch * 16, 6, 0.1);
    int[] shape = {batch, CHANNELS, size, size};
    float[] grad32;
    try (TorchEncoder t = TorchEncoder.of(Layers(model), gpu)) {
      t.forward(x, shape, weights, true);
      grad32 = t.backward(g);
    }
    try (TorchEncoder t = TorchEncoder.of(Layers(model), gpu, Precision.FP16)) {
      org.ttcspark.train.LossScaler scaler = new org.ttcspark.train.LossScaler(1024, 2, 0.5,
          2000);
      t.forward(x, shape, weights, true);
      float[] grad = t.backward(scaler.scaled(g));
      assertTrue(org.ttcspark.train.LossScaler.unscale(grad, 0, grad.length, scaler.scale()));
      assertEquals(DataType.FLOAT32, t.gradientType());
      double gradRel = relative(grad, grad32);
      assertTrue(gradRel > 0 && gradRel < 0.15, "fp16 gradient on CUDA differs by " + gradRel);
    }
  }
}
