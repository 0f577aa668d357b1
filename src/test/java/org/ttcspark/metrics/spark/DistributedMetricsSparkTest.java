package org.ttcspark.metrics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.metrics.EmbeddingBlock;
import org.ttcspark.metrics.MetricFixtures;
import org.ttcspark.metrics.RepresentationMetrics;
import org.ttcspark.metrics.StackedRow;
import org.ttcspark.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class DistributedMetricsSparkTest {

  @Test
  void everyMetricFixtureMatchesThroughTheBlockwiseJob(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    for (MetricFixtures f : MetricFixtures.all()) {
      f.assertMatches(DistributedMetrics.compute(rows(spark, f, 3), f.layout(), 7, 3,
          tmp.toString(), f.name()));
    }
  }

  @Test
  void oneAndSevenPartitionsGiveIdenticalResults(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    for (MetricFixtures f : MetricFixtures.all()) {
      RepresentationMetrics one = DistributedMetrics.compute(rows(spark, f, 1), f.layout(), 5,
          1, tmp.toString(), f.name());
      RepresentationMetrics seven = DistributedMetrics.compute(rows(spark, f, 7), f.layout(), 5,
          7, tmp.toString(), f.name());
      assertEquals(one, seven, f.name());
      f.assertMatches(one);
    }
    try (var files = java.nio.file.Files.list(tmp)) {
      assertEquals(0, files.count(), "block files are deleted after the job");
    }
  }

  @Test
  void partitionCountDoesNotChangeGemmTilesOfOddSizes(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    // 310 rows in blocks of 70: the last block is short and 70 is not a multiple of the
    // scan's GEMM strip, so tiles and strips of every shape occur
    java.util.Random rnd = new java.util.Random(17);
    int samples = 155;
    List<StackedRow> list = new ArrayList<>();
    for (int r = 0; r < 2 * samples; r++) {
      float[] x = new float[24];
      for (int d = 0; d < x.length; d++) {
        x[d] = (float) rnd.nextGaussian();
      }
      list.add(new StackedRow(r, (r % samples) % 9 == 0 ? 1 : 0, null, x));
    }
    org.ttcspark.metrics.StackLayout layout =
        org.ttcspark.metrics.StackLayout.of(2 * samples, 2, 0.05, 2.0);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RepresentationMetrics one = DistributedMetrics.compute(jsc.parallelize(list, 1), layout, 70,
        1, tmp.toString(), "random");
    RepresentationMetrics three = DistributedMetrics.compute(jsc.parallelize(list, 3), layout,
        70, 3, tmp.toString(), "random");
    assertEquals(one, three);
    assertTrue(one.cac().class0() > 80, one.toString()); // class 0 is 8 of 9 rows
  }

  @Test
  void badRowIsReportedOnTheDriverNamingTheRow(SparkSession spark, @TempDir Path tmp) {
    MetricFixtures f = MetricFixtures.all().get(0);
    List<StackedRow> list = new ArrayList<>(rows(spark, f, 2).collect());
    list.set(5, new StackedRow(5, list.get(5).label(), null, new float[f.embeddings()[0].length]));
    JavaRDD<StackedRow> bad = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(list, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DistributedMetrics.compute(bad, f.layout(), 7, 2, tmp.toString(), "fixture"));
    assertTrue(e.getMessage().startsWith("fixture: row 5 is all zeros"), e.getMessage());
  }

  @Test
  void subtypeKnnIsTheSameInMemoryAndDistributed(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    MetricFixtures f = MetricFixtures.all().get(0);
    int n = f.embeddings().length;
    int[] subtypes = new int[n];
    List<StackedRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      subtypes[i] = f.embeddings()[i][0] > 0 ? 1 : 0; // a sub-type the geometry can see
      rows.add(new StackedRow(i, f.labels()[i], subtypes[i], f.embeddings()[i]));
    }
    EmbeddingBlock all = EmbeddingBlock.normalise(0, f.embeddings(), f.labels(), subtypes, "f");
    RepresentationMetrics expected = RepresentationMetrics.compute(f.layout(), List.of(all));
    RepresentationMetrics actual = DistributedMetrics.compute(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3),
        f.layout(), 6, 2, tmp.toString(), "f");
    assertEquals(expected.subtypeKnn(), actual.subtypeKnn());
    assertTrue(actual.subtypeKnn().class0() > 50, actual.subtypeKnn().toString());
  }

  static JavaRDD<StackedRow> rows(SparkSession spark, MetricFixtures f, int partitions) {
    List<StackedRow> rows = new ArrayList<>();
    for (int i = 0; i < f.embeddings().length; i++) {
      rows.add(new StackedRow(i, f.labels()[i], null, f.embeddings()[i]));
    }
    java.util.Collections.reverse(rows); // arrival order must not matter
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions);
  }
}
