package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.dataset.MiniBatch;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.AugmentViews;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * Drawing the next batch's views ahead (train.prefetch-views) changes when the views are
 * drawn, never which: local scope's batches, step by step and across an epoch boundary, hold
 * bit-identical pixels with and without it, and the prefetched batches are really used.
 */
@ExtendWith(SparkTestSession.class)
class ViewPrefetchSparkTest {
  private static final int SIDE = 12;
  private static final int SIZE = 8;

  private static JavaRDD<TrainSample> samples(JavaSparkContext sc, int n) {
    return sc.parallelize(IntStream.range(0, n).mapToObj(i -> {
      SplittableRandom rng = new SplittableRandom(i);
      byte[] px = new byte[3 * SIDE * SIDE];
      for (int j = 0; j < px.length; j++) {
        px[j] = (byte) rng.nextInt(256);
      }
      return new TrainSample("img" + i, i % 2, i % 3, 3, SIDE, SIDE, px);
    }).toList(), 3);
  }

  private static ViewSource simclr() {
    AugmentConfig c = AugmentConfig.from(ConfigLoader.reference()).withSize(SIZE);
    return new AugmentViews(Augmentations.train(c), SIZE, new float[] {0.5f, 0.4f, 0.3f},
        new float[] {0.2f, 0.25f, 0.3f});
  }

  /** Every partition's batch of optimiser step {@code step}: its input pixels, then targets. */
  @SuppressWarnings("unchecked")
  private static List<float[]> step(JavaSparkContext sc, SeededDataSet epoch, long step,
      ViewBatcher batcher) {
    sc.setLocalProperty(SeededDataSet.STEP, Long.toString(step));
    try {
      // a task takes one batch of its endless stream, as DistriOptimizer's do
      return JavaRDD.fromRDD(epoch.data(true), scala.reflect.ClassTag$.MODULE$.<TrainSample>apply(
          TrainSample.class)).mapPartitions(it -> {
            MiniBatch<Object> b = batcher.apply(
                scala.collection.JavaConverters.asScalaIteratorConverter(it).asScala()).next();
            return List.of(Bigdl.toArray((Tensor<Object>) b.getInput()),
                Bigdl.toArray((Tensor<Object>) b.getTarget())).iterator();
          }).collect();
    } finally {
      sc.setLocalProperty(SeededDataSet.STEP, null);
    }
  }

  @Test
  void prefetchedBatchesHoldExactlyTheViewsDrawnInTheTask(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int batch = 8;
    int partitions = 2;
    SliceSchedule schedule = SliceSchedule.of(batch, partitions, 5);
    SeededDataSet data = SeededDataSet.of(samples(sc, 24), schedule);
    ViewSource views = simclr();
    long batchesBefore = ViewBatcher.batchesTaken();
    String token = java.util.UUID.randomUUID().toString();
    long hitsBefore = ViewPrefetch.hits();
    try {
      // 24 samples over 2 slices of 4 per step: 3 steps an epoch; steps 1-4 cross into epoch 2
      for (int epoch = 1; epoch <= 2; epoch++) {
        int first = epoch == 1 ? 1 : 4;
        SeededDataSet e = data.epoch(epoch, first);
        ViewBatcher plain = new ViewBatcher(batch / partitions, views, 17, epoch, 2);
        ViewBatcher ahead = plain.prefetching(token);
        for (long s = first; s < first + 3; s++) {
          List<float[]> without = step(sc, e, s, plain);
          List<float[]> with = step(sc, e, s, ahead);
          assertEquals(2 * partitions, with.size());
          for (int i = 0; i < with.size(); i++) {
            assertArrayEquals(without.get(i), with.get(i), "epoch " + epoch + " step " + s
                + (i % 2 == 0 ? " views" : " targets") + " of partition " + i / 2);
          }
        }
      }
    } finally {
      data.unpersist();
    }
    // every step but the first of each epoch found its views drawn ahead, on both partitions
    assertTrue(ViewPrefetch.hits() - hitsBefore >= 2 * 2 * partitions,
        "prefetched batches used: " + (ViewPrefetch.hits() - hitsBefore));
    assertEquals(2 * 2 * 3 * partitions, ViewBatcher.batchesTaken() - batchesBefore,
        "one view time per task and batch, with and without prefetch");
    assertTrue(ViewPrefetch.waiting() <= partitions, "at most one batch ahead per slice");
  }
}
