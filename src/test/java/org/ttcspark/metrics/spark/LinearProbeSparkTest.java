package org.ttcspark.metrics.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.embed.EmbeddingColumns;
import org.ttcspark.metrics.ProbeConfig;
import org.ttcspark.testing.SparkTestSession;

/**
 * The linear probe's fit on a real Spark session: the same embeddings give the same
 * coefficients however Spark partitioned them, so a probe's numbers repeat from run to run.
 */
@ExtendWith(SparkTestSession.class)
class LinearProbeSparkTest {
  private static final int WIDTH = 16;

  /** View-0 train rows of two overlapping Gaussian classes, one in eight of class 1. */
  private static Dataset<Row> embeddings(SparkSession spark) {
    SplittableRandom rng = new SplittableRandom(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int label = i % 8 == 3 ? 1 : 0;
      float[] x = new float[WIDTH];
      for (int j = 0; j < WIDTH; j++) {
        x[j] = (float) (rng.nextGaussian() + (label == 1 && j < 4 ? 0.8 : 0));
      }
      rows.add(RowFactory.create(String.format("img-%04d", i), "train", label, null, 0,
          box(x), box(Arrays.copyOf(x, 4))));
    }
    return spark.createDataFrame(rows, EmbeddingColumns.SCHEMA);
  }

  private static Float[] box(float[] x) {
    Float[] out = new Float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  private static ProbeConfig config(long singlePartitionMaxValues) {
    return ProbeConfig.from(ConfigLoader.load(List.of(), List.of(
        "probe.single-partition-max-values=" + singlePartitionMaxValues)));
  }

  /** The unregularised fit's coefficients and intercept on {@code rows}. */
  private static double[] fitted(Dataset<Row> rows, ProbeConfig config) {
    var model = LinearProbe.fit(LinearProbe.trainingRows(rows, config, new double[] {1, 1}, 400,
        "test embeddings"), config, 0.0);
    double[] out = Arrays.copyOf(model.coefficients().toArray(), WIDTH + 1);
    out[WIDTH] = model.intercept();
    return out;
  }

  @Test
  void theFitIsTheSameHoweverTheEmbeddingsArePartitioned(SparkSession spark) {
    Dataset<Row> all = embeddings(spark);
    ProbeConfig config = config(400L * WIDTH);
    double[] one = fitted(all.repartition(1), config);
    for (int partitions : new int[] {3, 7}) {
      assertArrayEquals(one, fitted(all.repartition(partitions), config),
          partitions + " partitions");
    }
    // above the bound the split keeps its partitions, and MLlib's sums their order
    ProbeConfig parallel = config(400L * WIDTH - 1);
    assertEquals(7, LinearProbe.trainingRows(all.repartition(7), parallel,
        new double[] {1, 1}, 400, "test embeddings").rdd().getNumPartitions());
    assertFalse(Arrays.equals(one, fitted(all.repartition(7), parallel)),
        "seven partitions fitted bit for bit as one: the test shows nothing");
  }
}
