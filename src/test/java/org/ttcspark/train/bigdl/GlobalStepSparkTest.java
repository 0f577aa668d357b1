package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.SGD;
import com.intel.analytics.bigdl.utils.RandomGenerator$;
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
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.AugmentViews;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.LrSchedule;
import org.ttcspark.train.SliceLoss;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;

/**
 * The global-batch step on a real Spark session: the same model, batch and augmentation draw
 * give the same loss and parameter gradient whether the batch is one slice or split over 2 or 4
 * (each slice a Spark task with its own model copy and all-reduce shard); local scope does not.
 */
@ExtendWith(SparkTestSession.class)
class GlobalStepSparkTest {
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

  /**
   * A small encoder without BatchNorm (BatchNorm's batch statistics are per slice by design,
   * the one thing that legitimately depends on the split), in its MKL-DNN form.
   */
  private static AbstractModule<Activity, Activity, Object> encoder() {
    RandomGenerator$.MODULE$.RNG().setSeed(SEED);
    var net = Layers.sequential("enc");
    Layers.add(net, Layers.conv("c1", 3, 6, 3, 2, 1));
    Layers.add(net, Layers.relu("r1"));
    Layers.add(net, Layers.globalAvgPool("pool", SIDE / 2));
    Layers.add(net, Layers.flatten("flat", 6));
    Layers.add(net, Layers.linear("fc", 6, DIM));
    Layers.add(net, Layers.l2Normalize("l2"));
    return Bigdl.toMklDnn(Layers.any(net), Memory.Format.nchw, Memory.Format.nc);
  }

  private record Outcome(double loss, float[] gradient) {}

  private static Outcome step(SparkSession spark, int slices, LossScope scope) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<TrainSample> rdd = sc.parallelize(samples, 3);
    SGD<Object> sgd = new SGD<>(0.1, 0.0, 0.0, 0.9, 0.0, false,
        new ScheduleAdapter(new LrSchedule(0.1, 0, 1)), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
    try (GlobalStep step = new GlobalStep(sc, rdd, SliceSchedule.of(B, slices, SEED), encoder(),
        sgd, null, views, 2, SEED, 0, "fp32")) {
      assertEquals(1, step.iterationsPerEpoch(), "one iteration covers all " + B + " samples");
      List<SliceLoss.Slice> out = step.forward(1, 0);
      assertEquals(slices, out.size());
      SliceLoss.Result r = SliceLoss.evaluate(scope, SUPMIN, out, 2, DIM, 99);
      step.backward(1, 0, r.gradients());
      return new Outcome(r.loss(), step.summedGradient());
    }
  }

  private record Trained(double[] losses, float[] weights, OptimState state) {}

  /** How {@link #train} runs an iteration on its one slice. */
  private enum Route { THROUGH_ALL_REDUCE, IN_PLACE, ONE_JOB }

  /** Three SupMin iterations on one slice. */
  private static Trained train(SparkSession spark, Route route) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // weight decay: SGD adds it to the gradient in place, which must not reach the weights twice
    SGD<Object> sgd = new SGD<>(0.1, 0.0, 5e-4, 0.9, 0.0, false,
        new ScheduleAdapter(new LrSchedule(0.1, 0, 1)), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
    AbstractModule<Activity, Activity, Object> model = encoder();
    double[] losses = new double[3];
    try (GlobalStep step = new GlobalStep(sc, sc.parallelize(samples, 3),
        SliceSchedule.of(B, 1, SEED), model, sgd, null, views, 2, SEED, 0, "fp32",
        SliceCompute.bigdl(), route == Route.THROUGH_ALL_REDUCE)) {
      for (int k = 0; k < losses.length; k++) {
        if (route == Route.ONE_JOB) {
          GlobalStep.Iterated it = step.iterate(k + 1, 0, k + 1, SUPMIN, DIM, 99 + k, 1.0);
          assertTrue(it.applied(), "iteration " + k);
          losses[k] = it.loss();
          continue;
        }
        List<SliceLoss.Slice> out = step.forward(k + 1, 0);
        SliceLoss.Result r = SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, out, 2, DIM, 99 + k);
        losses[k] = r.loss();
        assertTrue(step.backwardAndUpdate(k + 1, 0, k + 1, (float) r.loss(), r.gradients(), 1.0)
            .applied(), "iteration " + k);
      }
      step.pullWeights(model);
      return new Trained(losses, Bigdl.toArray(model.getParameters()._1()),
          step.optimState(sgd, "mkldnn"));
    }
  }

  /**
   * One slice in fp32 exchanges nothing: updated in place after the backward, or in one job
   * with the loss computed on the slice, it trains bit for bit as through the all-reduce.
   */
  @Test
  void oneSliceTrainsBitForBitInPlaceAndInOneJobAsThroughTheAllReduce(SparkSession spark) {
    float[] start = Bigdl.toArray(encoder().getParameters()._1());
    Trained exchanged = train(spark, Route.THROUGH_ALL_REDUCE);
    assertTrue(relativeDifference(exchanged.weights(), start) > 1e-4, "the weights did not move");
    for (Route route : List.of(Route.IN_PLACE, Route.ONE_JOB)) {
      Trained other = train(spark, route);
      assertArrayEquals(exchanged.losses(), other.losses(), route + ": losses");
      assertArrayEquals(exchanged.weights(), other.weights(), route + ": weights");
      for (String name : OptimState.vectors("sgd")) {
        assertArrayEquals(exchanged.state().vector(name), other.state().vector(name),
            route + ": " + name);
      }
    }
  }

  /** A one-job iteration whose scaled gradient is not finite leaves the weights as they were. */
  @Test
  void oneJobIterationSkipsTheUpdateOfANonFiniteGradient(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SGD<Object> sgd = new SGD<>(0.1, 0.0, 0.0, 0.9, 0.0, false,
        new ScheduleAdapter(new LrSchedule(0.1, 0, 1)), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
    AbstractModule<Activity, Activity, Object> model = encoder();
    try (GlobalStep step = new GlobalStep(sc, sc.parallelize(samples, 3),
        SliceSchedule.of(B, 1, SEED), model, sgd, null, views, 2, SEED, 0, "fp32")) {
      assertTrue(step.alone(), "one fp32 slice exchanges nothing");
      assertTrue(step.iterate(1, 0, 1, SUPMIN, DIM, 99, 256).applied(), "a scale of 256");
      step.pullWeights(model);
      float[] before = Bigdl.toArray(model.getParameters()._1());
      GlobalStep.Iterated overflowed = step.iterate(2, 0, 2, SUPMIN, DIM, 100,
          Double.POSITIVE_INFINITY);
      assertFalse(overflowed.applied(), "an infinite scale kept the gradient finite");
      assertEquals(2, step.step(), "a skipped update still counts");
      step.pullWeights(model);
      assertArrayEquals(before, Bigdl.toArray(model.getParameters()._1()));
    }
  }

  private static double relativeDifference(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
      norm += (double) a[i] * a[i];
    }
    return Math.sqrt(diff / norm);
  }

  @Test
  void globalScopeGivesTheSameLossAndGradientOnOneTwoAndFourSlices(SparkSession spark) {
    Outcome one = step(spark, 1, LossScope.GLOBAL);
    assertTrue(Double.isFinite(one.loss()) && one.loss() > 0, "loss " + one.loss());
    for (int slices : new int[] {2, 4}) {
      Outcome split = step(spark, slices, LossScope.GLOBAL);
      assertEquals(one.loss(), split.loss(), 1e-4 * one.loss(), slices + " slices");
      double rel = relativeDifference(one.gradient(), split.gradient());
      assertTrue(rel < 1e-4, slices + " slices: relative gradient difference " + rel);
    }
    Outcome local = step(spark, 2, LossScope.LOCAL);
    assertTrue(Math.abs(local.loss() - one.loss()) > 1e-3 * one.loss(),
        "local scope on 2 slices gives " + local.loss() + ", global " + one.loss());
    double rel = relativeDifference(one.gradient(), local.gradient());
    assertTrue(rel > 1e-2, "local scope's gradient differs by only " + rel);
  }
}
