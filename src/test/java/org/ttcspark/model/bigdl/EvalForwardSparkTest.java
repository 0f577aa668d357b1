package org.ttcspark.model.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.testing.SparkTestSession;

/**
 * Issue 18: the evaluation forward that embed, the online evaluation and fine-tuning share.
 * On MKL-DNN it runs an IRGraph converted from the plain model in evaluation mode before its
 * first forward; its outputs must be those of BigDL's own layers in evaluation mode, BatchNorm
 * running statistics included, for any input count (slices padded to the plan's batch).
 */
@ExtendWith(SparkTestSession.class)
class EvalForwardSparkTest {
  private static final int SIDE = 8;
  private static final int CHANNELS = 3;
  private static final int N = 10;

  /** A ResNet-18 encoder (width 8, raw projections) with BatchNorm far from its initial state. */
  private static Sequential<Object> trainedLooking() {
    Sequential<Object> model = Encoders.contrastive(
        new ModelConfig(Backbone.RESNET18, null, 8, 16, false), CHANNELS, SIDE, 11);
    Random rng = new Random(5);
    AbstractModule<Activity, Activity, Object> any = Layers.any(model);
    for (AbstractModule<Activity, Activity, Object> layer : DnnWeights.leaves(any)) {
      Tensor<Object>[] extra = layer.getExtraParameter();
      if (extra == null || extra.length != 2) {
        continue;
      }
      // running mean around 0.5, running variance in [0.2, 3]: evaluation mode then differs
      // clearly from normalising with the batch's statistics or with mean 0 / variance 1
      fill(extra[0], () -> 0.5f + 0.5f * (float) rng.nextGaussian());
      fill(extra[1], () -> 0.2f + 2.8f * rng.nextFloat());
      var p = layer.parameters();
      if (p != null) {
        fill(p._1()[0], () -> 0.5f + rng.nextFloat());
        fill(p._1()[1], () -> 0.2f * (float) rng.nextGaussian());
      }
    }
    return model;
  }

  private static void fill(Tensor<Object> t, java.util.function.Supplier<Float> value) {
    float[] a = Bigdl.floats(t);
    int from = t.storageOffset() - 1;
    for (int i = 0; i < t.nElement(); i++) {
      a[from + i] = value.get();
    }
  }

  private static float[] images(long seed) {
    Random rng = new Random(seed);
    float[] x = new float[N * CHANNELS * SIDE * SIDE];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.3f + 1.5f * (float) rng.nextGaussian();
    }
    return x;
  }

  @SuppressWarnings("unchecked")
  private static float[] blasEval(AbstractModule<Activity, Activity, Object> model, float[] x) {
    AbstractModule<Activity, Activity, Object> copy = model.cloneModule();
    copy.evaluate();
    return Bigdl.toArray((Tensor<Object>) copy.forward(
        Bigdl.tensor(x, N, CHANNELS, SIDE, SIDE)));
  }

  /** Largest |a - b| / max(1, |b|). */
  private static double relativeDiff(float[] a, float[] b) {
    assertEquals(b.length, a.length);
    double w = 0;
    for (int i = 0; i < a.length; i++) {
      w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
    }
    return w;
  }

  private static EvalForward.Plan plan(EngineType engine, int batch) {
    return new EvalForward.Plan(engine, batch, 2);
  }

  /**
   * Tolerance 1e-4 relative (to max(1, |value|)): float32 MKL-DNN and BigDL kernels sum in
   * other orders; outputs here are of order 1-10, a lost running statistic would move them by
   * whole units.
   */
  @Test
  void issue18MklDnnInferenceGivesTheBlasEvaluationOutputsWithRunningStatistics(
      SparkSession spark) {
    Sequential<Object> model = trainedLooking();
    AbstractModule<Activity, Activity, Object> any = Layers.any(model);
    float[] x = images(1);
    float[] blas = blasEval(any, x);
    float[] batchStats;
    {
      AbstractModule<Activity, Activity, Object> copy = any.cloneModule();
      copy.training();
      @SuppressWarnings("unchecked")
      Tensor<Object> out = (Tensor<Object>) copy.forward(Bigdl.tensor(x, N, CHANNELS, SIDE,
          SIDE));
      batchStats = Bigdl.toArray(out);
    }
    assertTrue(relativeDiff(batchStats, blas) > 0.1, "the running statistics do not matter "
        + "for this input: the test would not see them lost");
    // 10 images in slices of 4: two full slices and one padded with two zero images
    try (EvalForward dnn = EvalForward.acquire("t1", "model", () -> any,
        plan(EngineType.MKLDNN, 4))) {
      float[] out = dnn.forward(x, N, CHANNELS, SIDE, SIDE);
      assertTrue(dnn.onMklDnn(), "the copy did not convert to MKL-DNN primitives");
      assertTrue(relativeDiff(out, blas) < 1e-4, "MKL-DNN inference differs from BigDL's "
          + "evaluation mode by " + relativeDiff(out, blas));
      float[] again = dnn.forward(x, N, CHANNELS, SIDE, SIDE);
      assertEquals(0.0, relativeDiff(again, out), "a second pass through the same copy");
    } finally {
      EvalForward.release("t1");
    }
    float[] after = blasEval(any, x);
    assertEquals(0.0, relativeDiff(after, blas), "evaluating changed the shared model");
  }

  @Test
  void issue18BlasSlicesGiveTheWholeBatchOutputs(SparkSession spark) {
    AbstractModule<Activity, Activity, Object> any = Layers.any(trainedLooking());
    float[] x = images(2);
    float[] whole = blasEval(any, x);
    try (EvalForward blas = EvalForward.acquire("t2", "model", () -> any,
        plan(EngineType.MKLBLAS, 3))) {
      float[] out = blas.forward(x, N, CHANNELS, SIDE, SIDE);
      assertTrue(!blas.onMklDnn());
      assertTrue(relativeDiff(out, whole) < 1e-6, "slices of 3 differ from one forward of 10 "
          + "by " + relativeDiff(out, whole));
    } finally {
      EvalForward.release("t2");
    }
  }

  @Test
  void issue18OneCopyPerJvmAndIdleCopiesOfOtherJobsAreReleased(SparkSession spark) {
    AbstractModule<Activity, Activity, Object> any = Layers.any(trainedLooking());
    int before = EvalForward.held();
    EvalForward first = EvalForward.acquire("t3", "model", () -> any,
        plan(EngineType.MKLDNN, 4));
    EvalForward second = EvalForward.acquire("t3", "model", () -> {
      throw new AssertionError("a second task of the same job must reuse the copy");
    }, plan(EngineType.MKLDNN, 4));
    assertSame(first, second);
    second.close();
    EvalForward other = EvalForward.acquire("t4", "model", () -> any,
        plan(EngineType.MKLBLAS, 4));
    assertEquals(before + 2, EvalForward.held(), "a copy in use was released");
    first.close();
    other.close();
    EvalForward third = EvalForward.acquire("t5", "model", () -> any,
        plan(EngineType.MKLBLAS, 4));
    third.close();
    assertEquals(1, EvalForward.held(), "idle copies of other jobs were kept");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> first.forward(images(3), N, CHANNELS, SIDE, SIDE));
    assertTrue(e.getMessage().contains("t3/model"), e.getMessage());
    EvalForward.release("t5");
    assertEquals(0, EvalForward.held());
  }
}
