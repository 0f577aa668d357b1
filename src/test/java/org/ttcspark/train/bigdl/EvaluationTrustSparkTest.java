package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.DnnWeights;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.testing.SparkTestSession;

/**
 * Issue 13, evaluation you can trust: what {@code ttc embed} computes from a checkpoint is
 * what the model trained with MKL-DNN computes in evaluation mode. The trainers train an
 * IRGraph converted from the plain model and copy weights and BatchNorm running statistics back
 * before saving ({@link DnnWeights}); if the statistics were lost, evaluation mode would
 * normalise with the initial mean 0 and variance 1 and every projection would differ from what
 * training saw.
 */
@ExtendWith(SparkTestSession.class)
class EvaluationTrustSparkTest {
  private static final int B = 16;
  private static final int SIDE = 8;
  private static final int CHANNELS = 3;

  @TempDir
  Path tmp;

  /** B images of two views each, sample-major, shifted away from mean 0 / variance 1. */
  private static Tensor<Object> views(long seed) {
    Random rng = new Random(seed);
    int plane = CHANNELS * SIDE * SIDE;
    float[] x = new float[2 * B * plane];
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < plane; j++) {
        float v = 0.7f + 2f * (float) rng.nextGaussian();
        x[2 * i * plane + j] = v + 0.3f * (float) rng.nextGaussian();
        x[(2 * i + 1) * plane + j] = v + 0.3f * (float) rng.nextGaussian();
      }
    }
    return Bigdl.tensor(x, 2 * B, CHANNELS, SIDE, SIDE);
  }

  private static Tensor<Object> targets() {
    float[] t = new float[2 * B];
    for (int i = 0; i < B; i++) {
      t[2 * i] = i % 2;
      t[2 * i + 1] = -1;
    }
    return Bigdl.tensor(t, B, 2);
  }

  @SuppressWarnings("unchecked")
  private static float[] evalForward(AbstractModule<Activity, Activity, Object> m,
      Tensor<Object> x) {
    m.evaluate();
    return Bigdl.toArray((Tensor<Object>) m.forward(x)).clone();
  }

  /** All extra parameters (BatchNorm running mean and variance) of a module, concatenated. */
  private static float[] runningStats(AbstractModule<Activity, Activity, Object> m) {
    Tensor<Object>[] extra = m.getExtraParameter();
    int n = 0;
    for (Tensor<Object> t : extra) {
      n += (int) t.nElement();
    }
    float[] out = new float[n];
    int at = 0;
    for (Tensor<Object> t : extra) {
      float[] a = Bigdl.toArray(t);
      System.arraycopy(a, 0, out, at, a.length);
      at += a.length;
    }
    return out;
  }

  private static double diff(float[] a, float[] b) {
    double w = 0;
    for (int i = 0; i < a.length; i++) {
      w = Math.max(w, Math.abs(a[i] - b[i]));
    }
    return w;
  }

  private static double relativeDiff(float[] a, float[] b) {
    double w = 0;
    for (int i = 0; i < a.length; i++) {
      w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    }
    return w;
  }

  @SuppressWarnings("unchecked")
  private static float[] trainingForward(AbstractModule<Activity, Activity, Object> m,
      Tensor<Object> x) {
    m.training();
    return Bigdl.toArray((Tensor<Object>) m.forward(x)).clone();
  }

  /**
   * Trains an MKL-DNN model as the trainers do (IRGraph, training mode, SGD), then runs three
   * more training-mode batches through it and through a BigDL (BLAS) twin holding its
   * copied-back weights; the twin's running statistics give the batch statistics, from which
   * MKL-DNN's own normalised running average follows (see below), and the copy-back must equal
   * it. The checkpoint written from the copy, loaded as {@code ttc embed} loads it, must hold
   * the trained weights, running statistics that moved away from their initial values, and
   * give evaluation-mode projections equal to those of the same weights converted to MKL-DNN
   * again. (Comparing with the trained IRGraph itself switched to evaluation mode does not
   * work in BigDL 0.13: it gives other outputs than the same weights and statistics freshly
   * converted (up to 0.97 on unit projections here), and cannot switch back to training (its
   * wrapped Normalize fails). The trainers never do that: they evaluate the copied-back plain
   * model.)
   */
  @Test
  @SuppressWarnings("unchecked")
  void issue13CheckpointOfAnMklDnnRunCarriesItsWeightsAndBatchNormStatistics(
      SparkSession spark) throws Exception {
    AbstractModule<Activity, Activity, Object> plain = Layers.any(Encoders.contrastive(
        new ModelConfig(Backbone.RESNET18, null, 8, 16, true), CHANNELS, SIDE, 7));
    float[] initialStats = runningStats(plain);
    AbstractModule<Activity, Activity, Object> dnn =
        Bigdl.toMklDnn(plain, Memory.Format.nchw, Memory.Format.nc);
    ContrastiveCriterion crit = new ContrastiveCriterion(SupConLoss.simclr(0.1, 0.1), 1);
    Tensor<Object> target = targets();
    var params = dnn.getParameters();
    dnn.training();
    for (int it = 0; it < 5; it++) {
      Tensor<Object> x = views(it);
      dnn.zeroGradParameters();
      Tensor<Object> out = (Tensor<Object>) dnn.forward(x);
      crit.forward(out, target);
      dnn.backward(x, crit.backward(out, target));
      params._1().add(Float.valueOf(-0.05f), params._2());
    }
    DnnWeights.copyInto(dnn, plain);
    float[] afterFive = runningStats(plain);
    AbstractModule<Activity, Activity, Object> twin = plain.cloneModule();
    float[] dnnOut = null;
    float[] twinOut = null;
    for (int it = 10; it < 13; it++) {
      dnnOut = trainingForward(dnn, views(it));
      twinOut = trainingForward(twin, views(it));
    }
    assertTrue(relativeDiff(dnnOut, twinOut) < 1e-4, "training-mode outputs of the MKL-DNN "
        + "model and its BLAS twin differ by " + relativeDiff(dnnOut, twinOut));
    DnnWeights.copyInto(dnn, plain);
    float[] copied = runningStats(plain);
    // BigDL (momentum m = 0.1): R <- (1 - m) R + m x per batch, so after three batches the twin
    // holds T = 0.9^3 S + 0.1 X with X = 0.81 x1 + 0.9 x2 + x3. MKL-DNN keeps the unnormalised
    // sum with weight f <- 0.9 f + 1 (f = 1 at conversion, where the initial statistics enter)
    // and reports sum / f: after 5 + 3 batches (0.9^3 f5 S + X) / (0.9^3 f5 + 2.71) with
    // f5 = (1 - 0.9^6) / 0.1. The copy-back must give exactly what MKL-DNN normalises with.
    float[] twinStats = runningStats(twin);
    double f5 = (1 - Math.pow(0.9, 6)) / 0.1;
    float[] expected = new float[copied.length];
    for (int i = 0; i < copied.length; i++) {
      double x = (twinStats[i] - 0.729 * afterFive[i]) / 0.1;
      expected[i] = (float) ((0.729 * f5 * afterFive[i] + x) / (0.729 * f5 + 2.71));
    }
    assertTrue(relativeDiff(copied, expected) < 1e-3, "BatchNorm running statistics copied "
        + "back from MKL-DNN differ from MKL-DNN's normalised running average by "
        + relativeDiff(copied, expected));

    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(
        tmp.resolve("model.bigdl").toUri());
    ModuleFiles.save(plain, file, new Configuration());
    AbstractModule<Activity, Activity, Object> loaded = ModuleFiles.load(file,
        new Configuration());
    float[] stats = runningStats(loaded);
    assertEquals(initialStats.length, stats.length);
    double moved = 0;
    for (int i = 0; i < stats.length; i++) {
      moved = Math.max(moved, Math.abs(stats[i] - initialStats[i]));
    }
    assertTrue(moved > 1e-2, "BatchNorm running statistics of the checkpoint are still the "
        + "initial ones (largest change " + moved + ")");
    assertTrue(relativeDiff(stats, copied) == 0, "the checkpoint holds other statistics");

    Tensor<Object> probe = views(99);
    float[] embedded = evalForward(loaded, probe);
    AbstractModule<Activity, Activity, Object> again = Bigdl.toMklDnn(loaded.cloneModule(),
        Memory.Format.nchw, Memory.Format.nc);
    float[] dnnEval = evalForward(again, probe);
    // unit-length projections: float32 MKL-DNN and BigDL kernels differ in the last bits only
    assertTrue(relativeDiff(dnnEval, embedded) < 1e-4, "evaluation-mode projections of the "
        + "checkpoint differ from MKL-DNN's by " + relativeDiff(dnnEval, embedded));
    assertTrue(relativeDiff(Bigdl.toArray(loaded.getParameters()._1()),
        Bigdl.toArray(plain.getParameters()._1())) == 0, "the checkpoint holds other weights");
  }
}
