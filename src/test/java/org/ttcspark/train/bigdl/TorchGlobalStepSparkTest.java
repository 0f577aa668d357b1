package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.SGD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
import com.intel.analytics.bigdl.nn.Sequential;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.AugmentViews;
import org.ttcspark.train.BclObjective;
import org.ttcspark.train.DriverObjective;
import org.ttcspark.train.PacoObjective;
import org.ttcspark.train.LossScaler;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.LrSchedule;
import org.ttcspark.train.SliceLoss;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;

/**
 * One SupMin step of the global-scope step computed by the BigDL model and by PyTorch
 * ({@code engine.type = torch}): from the same ResNet-18 weights, batch and augmentation draw,
 * the same loss and the same summed parameter gradient, and after the update the same weights.
 * The same for BCL and PaCo, whose slices train the feature model and whose loss and heads are
 * the driver's; PaCo's momentum key encoder included. In fp16, a step whose loss scale
 * overflows skips the update of the slices and of BCL's and PaCo's driver state alike.
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
      byte[] px = new byte[3 * 16 * 16];
      for (int j = 0; j < px.length; j++) {
        px[j] = (byte) rng.nextInt(256);
      }
      samples.add(new TrainSample("s" + i, i % 4 == 1 ? 1 : 0, -1, 3, 16, 16, px));
    }
    AugmentConfig augment = AugmentConfig.from(ConfigLoader.load(List.of(),
        List.of("augment.recipe=simclr"))).withSize(SIDE);
    views = new AugmentViews(Augmentations.train(augment), SIDE, new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.25f, 0.25f, 0.25f});
  }

  private static final ModelConfig MODEL = new ModelConfig(Backbone.RESNET18, Stem.CIFAR, 4, DIM,
      true);
  private static final long[] COUNTS = {6, 2};

  private static AbstractModule<Activity, Activity, Object> encoder() {
    return Layers.any(Encoders.contrastive(MODEL, 3, SIDE, SEED));
  }

  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> featureModel(
      AbstractModule<Activity, Activity, Object> encoder) {
    return Layers.any(Encoders.withFeatures((Sequential<Object>) (Object) encoder));
  }

  private static LossConfig lossConfig(String... overrides) {
    return LossConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  private static DriverObjective bcl() {
    return new BclObjective(lossConfig().bcl(), 0.1, COUNTS, DIM, MODEL.featureDim(), 0.9, 1e-4,
        5);
  }

  private static DriverObjective paco() {
    return new PacoObjective(lossConfig("loss.paco.alpha=0.5", "loss.paco.queue-size=16",
        "loss.paco.momentum=0.9").paco(), COUNTS, DIM, MODEL.featureDim(), 0.9, 1e-4, 5);
  }

  private static SGD<Object> sgd() {
    return new SGD<>(0.1, 0.0, 1e-4, 0.9, 0.0, false,
        new ScheduleAdapter(new LrSchedule(0.1, 0, 1)), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
  }

  /** What BCL's or PaCo's run gives after {@code iterations} steps. */
  private record DriverOutcome(double[] losses, float[] gradient, float[] weights,
      float[] keys) {}

  /**
   * {@code iterations} steps of the global step training the feature model with
   * {@code objective} on the driver; the summed gradient is the last step's.
   */
  private static DriverOutcome driverSteps(SparkSession spark, DriverObjective objective,
      int slices, int iterations, SliceCompute.Factory compute) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<TrainSample> rdd = sc.parallelize(samples, 3);
    AbstractModule<Activity, Activity, Object> model = featureModel(encoder());
    double[] losses = new double[iterations];
    float[] gradient = null;
    try (GlobalStep step = new GlobalStep(sc, rdd, SliceSchedule.of(B, slices, SEED), model,
        sgd(), null, views, objective.views(), SEED, 0, "fp32", compute)) {
      if (!Double.isNaN(objective.keyMomentum())) {
        step.momentumKeys(objective.keyMomentum(), null, false);
      }
      for (int k = 0; k < iterations; k++) {
        // every slice fills one iteration per epoch: step k is epoch k + 1's
        List<SliceLoss.Slice> out = step.forward(k + 1, 0);
        SliceLoss.Result r = objective.step(out, 0.1);
        losses[k] = r.loss();
        step.backward(k + 1, 0, r.gradients());
        gradient = step.summedGradient();
        step.update(k + 1, k + 1, (float) r.loss());
        objective.finishStep(true);
      }
      step.pullWeights(model);
      return new DriverOutcome(losses, gradient, Bigdl.toArray(model.getParameters()._1()),
          step.keyWeights());
    }
  }

  private static void sameDriverSteps(SparkSession spark, String name,
      java.util.function.Supplier<DriverObjective> objective, int iterations) {
    RuntimeConfig torch = RuntimeConfig.from(ConfigLoader.load(List.of(),
        List.of("engine.type=torch", "engine.device=cpu")));
    DriverOutcome bigdl = driverSteps(spark, objective.get(), 2, iterations,
        SliceCompute.bigdl());
    DriverOutcome pt = driverSteps(spark, objective.get(), 2, iterations,
        TorchSliceCompute.forRuntime(torch));
    for (int k = 0; k < iterations; k++) {
      double l = bigdl.losses()[k];
      assertTrue(Double.isFinite(l) && l > 0, name + " loss " + l);
      assertEquals(l, pt.losses()[k], 1e-4 * l, name + " iteration " + k + ": loss");
    }
    double rel = relativeDifference(pt.gradient(), bigdl.gradient());
    assertTrue(rel < 1e-3, name + ": relative gradient difference " + rel);
    double moved = relativeDifference(pt.weights(),
        Bigdl.toArray(encoder().getParameters()._1()));
    assertTrue(moved > 1e-6, name + ": the updates moved the weights by only " + moved);
    double w = relativeDifference(pt.weights(), bigdl.weights());
    assertTrue(w < 1e-5, name + ": weights after the updates differ by " + w);
    assertEquals(bigdl.keys() == null, pt.keys() == null, name + ": key encoder on one engine");
    if (bigdl.keys() != null) {
      double kd = relativeDifference(pt.keys(), bigdl.keys());
      assertTrue(kd < 1e-5, name + ": key encoder weights differ by " + kd);
      double km = relativeDifference(pt.keys(), pt.weights());
      assertTrue(km > 1e-7, name + ": the key encoder follows the trained weights exactly");
    }
  }

  @Test
  void torchAndBigdlTakeTheSameBclStep(SparkSession spark) {
    sameDriverSteps(spark, "bcl", TorchGlobalStepSparkTest::bcl, 1);
  }

  /** Two steps: the second's keys come from the key encoder after one momentum update. */
  @Test
  void torchAndBigdlTakeTheSamePacoSteps(SparkSession spark) {
    sameDriverSteps(spark, "paco", TorchGlobalStepSparkTest::paco, 2);
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

  private record ScaledOutcome(double loss, float[] gradient, float[] weights, boolean finite) {}

  /** One SupMin step in fp16 on 2 slices with the loss gradient scaled by {@code scale}. */
  private static ScaledOutcome fp16Step(SparkSession spark, double scale) {
    RuntimeConfig fp16 = RuntimeConfig.from(ConfigLoader.load(List.of(),
        List.of("engine.type=torch", "engine.device=cpu", "engine.precision=fp16")));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<TrainSample> rdd = sc.parallelize(samples, 3);
    AbstractModule<Activity, Activity, Object> model = encoder();
    LossScaler scaler = new LossScaler(scale, 2, 0.5, 2000);
    try (GlobalStep step = new GlobalStep(sc, rdd, SliceSchedule.of(B, 2, SEED), model, sgd(),
        null, views, 2, SEED, 0, "fp32", TorchSliceCompute.forRuntime(fp16))) {
      List<SliceLoss.Slice> out = step.forward(1, 0);
      SliceLoss.Result r = SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, out, 2, DIM, 99);
      boolean finite = step.backward(1, 0,
          r.gradients().stream().map(scaler::scaled).toList(), scaler.scale());
      float[] gradient = step.summedGradient();
      step.update(1, 1, (float) r.loss(), scaler.update(finite));
      step.pullWeights(model);
      return new ScaledOutcome(r.loss(), gradient, Bigdl.toArray(model.getParameters()._1()),
          finite);
    }
  }

  /**
   * fp16 with loss scaling: the unscaled, all-reduced gradient is close to the fp32 step's
   * (measured: loss relative 4e-5, gradient relative 0.10; half precision's rounding
   * through training-mode BatchNorm on a batch of 8 at 12 px) and the update applies; a scale
   * so large that the fp16 backward overflows skips the update on every slice.
   */
  @Test
  void fp16StepWithLossScalingIsCloseToFp32AndAnOverflowSkipsTheUpdate(SparkSession spark) {
    RuntimeConfig torch = RuntimeConfig.from(ConfigLoader.load(List.of(),
        List.of("engine.type=torch", "engine.device=cpu")));
    Outcome fp32 = step(spark, 2, TorchSliceCompute.forRuntime(torch));
    float[] start = Bigdl.toArray(encoder().getParameters()._1());
    ScaledOutcome half = fp16Step(spark, 1024);
    double lossRel = Math.abs(half.loss() - fp32.loss()) / fp32.loss();
    double gradRel = relativeDifference(half.gradient(), fp32.gradient());
    System.out.printf("fp16 global step vs fp32: loss relative %.2e, gradient relative %.2e%n",
        lossRel, gradRel);
    assertTrue(half.finite(), "a scale of 1024 overflowed");
    assertTrue(lossRel < 1e-2, "fp16 loss differs from fp32 by " + lossRel);
    assertTrue(gradRel < 0.2, "fp16 gradient differs from fp32 by " + gradRel);
    assertTrue(relativeDifference(half.weights(), start) > 1e-6, "the fp16 update did not apply");
    ScaledOutcome overflow = fp16Step(spark, 1e30);
    assertTrue(!overflow.finite(), "a scale of 1e30 kept the fp16 gradient finite");
    assertArrayEquals(start, overflow.weights(),
        "the update of a non-finite step is skipped");
  }

  /** The driver's state, the flat weights and the key encoder after an iteration. */
  private record DriverState(Map<String, double[]> heads, float[] weights, float[] keys) {}

  /**
   * One fp16 iteration of BCL or PaCo as {@link GlobalTrainer} runs it, the loss gradient
   * scaled by {@code scaler}; whether its update was applied.
   */
  private static boolean fp16Iteration(GlobalStep step, DriverObjective objective,
      LossScaler scaler, int epoch) {
    List<SliceLoss.Slice> out = step.forward(epoch, 0);
    SliceLoss.Result r = objective.step(out, 0.1);
    boolean applied = GlobalTrainer.backwardAndUpdate(step, scaler, epoch, 0, epoch,
        (float) r.loss(), r.gradients()).applied();
    GlobalTrainer.settle(scaler, objective, applied);
    return applied;
  }

  private static DriverState driverState(GlobalStep step, DriverObjective objective,
      AbstractModule<Activity, Activity, Object> model) {
    step.pullWeights(model);
    return new DriverState(objective.state(), Bigdl.toArray(model.getParameters()._1()),
        step.keyWeights());
  }

  /**
   * issue 16: in fp16, an iteration whose scaled gradient overflows skips the update on the
   * slices and on the driver alike: BCL's classifier and centre head, PaCo's classifier, key
   * queue and momentum key encoder, and the encoder's weights are bit-identical to what the
   * iteration before left (which did move them all).
   */
  @Test
  void issue16SkippedFp16StepLeavesHeadsQueueAndKeyEncoderAsTheyWere(SparkSession spark) {
    RuntimeConfig fp16 = RuntimeConfig.from(ConfigLoader.load(List.of(),
        List.of("engine.type=torch", "engine.device=cpu", "engine.precision=fp16")));
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // one slice updates inside the backward's job, two through the all-reduce
    for (int slices : new int[] {1, 2}) {
      for (DriverObjective objective : List.of(bcl(), paco())) {
        skippedStepLeavesDriverStateAsItWas(sc, fp16, slices, objective);
      }
    }
  }

  private static void skippedStepLeavesDriverStateAsItWas(JavaSparkContext sc,
      RuntimeConfig fp16, int slices, DriverObjective objective) {
    String name = objective.getClass().getSimpleName() + " on " + slices + " slice(s)";
    boolean keys = !Double.isNaN(objective.keyMomentum());
    AbstractModule<Activity, Activity, Object> model = featureModel(encoder());
    try (GlobalStep step = new GlobalStep(sc, sc.parallelize(samples, 3),
        SliceSchedule.of(B, slices, SEED), model, sgd(), null, views, objective.views(), SEED, 0,
        "fp32", TorchSliceCompute.forRuntime(fp16))) {
      if (keys) {
        step.momentumKeys(objective.keyMomentum(), null, true);
      }
      DriverState start = new DriverState(objective.state(),
          Bigdl.toArray(model.getParameters()._1()), null);
      assertTrue(fp16Iteration(step, objective, new LossScaler(256, 2, 0.5, 2000), 1),
          name + ": a scale of 256 overflowed");
      DriverState applied = driverState(step, objective, model);
      assertTrue(relativeDifference(applied.weights(), start.weights()) > 1e-6,
          name + ": the first update did not apply");
      start.heads().forEach((k, v) -> {
        if (!k.startsWith("sgd.v") && !k.equals("queue_labels")) {
          assertFalse(Arrays.equals(v, applied.heads().get(k)),
              name + ": the first update left " + k + " as it was");
        }
      });
      assertEquals(keys, applied.keys() != null, name + ": key encoder");

      assertFalse(fp16Iteration(step, objective, new LossScaler(1e30, 2, 0.5, 2000), 2),
          name + ": a scale of 1e30 kept the fp16 gradient finite");
      DriverState skipped = driverState(step, objective, model);
      assertEquals(applied.heads().keySet(), skipped.heads().keySet(), name);
      applied.heads().forEach((k, v) -> assertArrayEquals(v, skipped.heads().get(k),
          name + ": " + k + " moved on a skipped update"));
      assertArrayEquals(applied.weights(), skipped.weights(),
          name + ": weights moved on a skipped update");
      if (keys) {
        assertArrayEquals(applied.keys(), skipped.keys(),
            name + ": the key encoder moved on a skipped update");
      }
    }
  }
}
