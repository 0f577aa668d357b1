package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.AugmentViews;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.LrSchedule;
import org.ttcspark.train.SliceLoss;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;

/**
 * One SupMin step of the global-scope step computed by the BigDL model and by PyTorch
 * ({@code engine.type = torch}): from the same ResNet-18 weights, batch and augmentation draw,
 * the same loss and the same summed parameter gradient, and after the update the same weights.
 */
@ExtendWith(SparkTestSession.class)
class TorchGlobalStepSparkTest {
  private static final int B = 8;
  private static final int SIDE = 12;
  private static final int DIM = 8;
  private static final long SEED = 17;
  private static final ContrastiveLoss SUPMIN = SupConLoss.supmin(0.1, 0.1, 1, 0.5);

  private static List<TrainSample> samples;
  private static AugmentViews views;

  @BeforeAll
  static void data() {
    SplittableRandom rng = new SplittableRandom(3);
    samples = new ArrayList<>();
    for (int i = 0; i < B; i++) {
      float[] px = new float[3 * 16 * 16];
      for (int j = 0; j < px.length; j++) {
        px[j] = (float) rng.nextDouble();
      }
      samples.add(new TrainSample("s" + i, i % 4 == 1 ? 1 : 0, -1, 3, 16, 16, px));
    }
    AugmentConfig augment = AugmentConfig.from(ConfigLoader.load(List.of(),
        List.of("augment.recipe=simclr"))).withSize(SIDE);
    views = new AugmentViews(Augmentations.train(augment), SIDE, new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.25f, 0.25f, 0.25f});
  }

  private static AbstractModule<Activity, Activity, Object> encoder() {
    return Layers.any(Encoders.contrastive(new ModelConfig(Backbone.RESNET18, Stem.CIFAR, 4, DIM,
        true), 3, SIDE, SEED));
  }

  private record Outcome(double loss, float[] gradient, float[] weights) {}

  private static Outcome step(SparkSession spark, int slices, SliceCompute.Factory compute) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<TrainSample> rdd = sc.parallelize(samples, 3);
    SGD<Object> sgd = new SGD<>(0.1, 0.0, 1e-4, 0.9, 0.0, false,
        new ScheduleAdapter(new LrSchedule(0.1, 0, 1)), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
    AbstractModule<Activity, Activity, Object> model = encoder();
    try (GlobalStep step = new GlobalStep(sc, rdd, SliceSchedule.of(B, slices, SEED), model,
        sgd, null, views, 2, SEED, 0, "fp32", compute)) {
      List<SliceLoss.Slice> out = step.forward(1, 0);
      SliceLoss.Result r = SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, out, 2, DIM, 99);
      step.backward(1, 0, r.gradients());
      float[] gradient = step.summedGradient();
      step.update(1, 1, (float) r.loss());
      step.pullWeights(model);
      return new Outcome(r.loss(), gradient, Bigdl.toArray(model.getParameters()._1()));
    }
  }

  private static double relativeDifference(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(diff / norm);
  }

  @Test
  void torchAndBigdlTakeTheSameSupMinStep(SparkSession spark) {
    RuntimeConfig torch = RuntimeConfig.from(ConfigLoader.load(List.of(),
        List.of("engine.type=torch", "engine.device=cpu")));
    for (int slices : new int[] {1, 2}) {
      Outcome bigdl = step(spark, slices, SliceCompute.bigdl());
      Outcome pt = step(spark, slices, TorchSliceCompute.forRuntime(torch));
      assertTrue(Double.isFinite(bigdl.loss()) && bigdl.loss() > 0, "loss " + bigdl.loss());
      assertEquals(bigdl.loss(), pt.loss(), 1e-4 * bigdl.loss(), slices + " slices: loss");
      double rel = relativeDifference(pt.gradient(), bigdl.gradient());
      assertTrue(rel < 1e-3, slices + " slices: relative gradient difference " + rel);
      double moved = relativeDifference(pt.weights(), Bigdl.toArray(encoder().getParameters()._1()));
      assertTrue(moved > 1e-6, "the update moved the weights by only " + moved);
      double w = relativeDifference(pt.weights(), bigdl.weights());
      assertTrue(w < 1e-5, slices + " slices: weights after the update differ by " + w);
    }
  }
}
