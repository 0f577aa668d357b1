package org.ttcspark.metrics.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.data.npy.NpyArray;
import org.ttcspark.embed.EmbeddingColumns;
import org.ttcspark.embed.EmbeddingRecord;
import org.ttcspark.embed.EmbeddingsReader;
import org.ttcspark.metrics.MetricsConfig;
import org.ttcspark.metrics.StackLayout;
import org.ttcspark.metrics.StackedRow;
import scala.Tuple2;

/**
 * A view-major stack of embeddings ready for {@link DistributedMetrics}, read from stored
 * Parquet ({@link EmbeddingColumns}) or from NumPy {@code .npy} files.
 *
 * @param rows every row with its stack index
 * @param layout samples, views, k and t
 * @param source names the input in messages
 */
public record EmbeddingStack(JavaRDD<StackedRow> rows, StackLayout layout, String source) {

  /**
   * The rows of one split (or all) of an embeddings folder, samples ordered by id, stacked
   * view-major; V is the number of distinct views.
   *
   * @throws IllegalArgumentException if an id lacks a view or the split is empty
   */
  public static EmbeddingStack fromParquet(SparkSession spark, String folder,
      MetricsConfig config) throws IOException {
    Dataset<Row> df = EmbeddingsReader.read(spark, folder);
    String source = folder + (config.split().equals("all") ? "" : " (split " + config.split()
        + ")");
    if (!config.split().equals("all")) {
      df = df.filter(functions.col(EmbeddingColumns.SPLIT).equalTo(config.split()));
    }
    Row shape = df.agg(functions.count(functions.lit(1)),
        functions.countDistinct(functions.col(EmbeddingColumns.ID)),
        functions.countDistinct(functions.col(EmbeddingColumns.VIEW)),
        functions.max(EmbeddingColumns.VIEW), functions.min(EmbeddingColumns.VIEW),
        functions.count(EmbeddingColumns.SUBTYPE),
        functions.countDistinct(functions.col(EmbeddingColumns.ID),
            functions.col(EmbeddingColumns.VIEW)),
        functions.countDistinct(functions.col(EmbeddingColumns.ID),
            functions.col(EmbeddingColumns.LABEL))).first();
    long count = shape.getLong(0);
    if (count == 0) {
      throw new IllegalArgumentException(source + " has no rows; check metrics.split");
    }
    int samples = Math.toIntExact(shape.getLong(1));
    int views = Math.toIntExact(shape.getLong(2));
    if (shape.getInt(4) != 0 || shape.getInt(3) != views - 1 || count != (long) samples * views
        || shape.getLong(6) != count) {
      throw new IllegalArgumentException(source + ": " + count + " rows of " + samples
          + " ids and views " + shape.getInt(4) + ".." + shape.getInt(3) + "; every id needs "
          + "exactly one row for each view 0..V-1");
    }
    if (shape.getLong(7) != samples) {
      throw new IllegalArgumentException(source + ": sample " + firstWithTwoLabels(df)
          + " has different labels in its views; every view of a sample must carry the "
          + "sample's label: embed the dataset again (ttc embed) or fix the input");
    }
    boolean subtyped = shape.getLong(5) == count;
    String column = config.column();
    JavaPairRDD<String, Long> rank = df.select(EmbeddingColumns.ID).distinct().javaRDD()
        .map(r -> r.getString(0)).sortBy(id -> id, true, df.rdd().getNumPartitions())
        .zipWithIndex().mapToPair(t -> t);
    JavaRDD<StackedRow> rows = df.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getString(r.fieldIndex(EmbeddingColumns.ID)), r))
        .join(rank)
        .map(t -> {
          EmbeddingRecord e = EmbeddingRecord.of(t._2()._1());
          int row = Math.toIntExact(e.view() * (long) samples + t._2()._2());
          return new StackedRow(row, e.label(), subtyped ? e.subtype() : null,
              column.equals(EmbeddingColumns.FEATURE) ? e.feature() : e.projection());
        })
        // read by the checks, the block assembly and the plot: join once
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new EmbeddingStack(rows, config.layout(samples * views, views), source);
  }

  /** The smallest id whose rows carry more than one label (the error path only). */
  private static String firstWithTwoLabels(Dataset<Row> df) {
    return df.groupBy(EmbeddingColumns.ID)
        .agg(functions.countDistinct(functions.col(EmbeddingColumns.LABEL)).as("labels"))
        .filter(functions.col("labels").gt(1)).select(EmbeddingColumns.ID)
        .orderBy(EmbeddingColumns.ID).first().getString(0);
  }

  /**
   * Embeddings {@code [N, D]} (float32 or float64) and labels {@code [N]} (integers 0/1) already
   * stacked view-major, as the reference code writes them.
   *
   * @throws IllegalArgumentException for a wrong dtype or rank, or a count mismatch
   */
  public static EmbeddingStack fromNpy(SparkSession spark, String embeddingsFile,
      String labelsFile, int views, int partitions, MetricsConfig config) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    NpyArray e = Npy.read(new Path(embeddingsFile), jsc.hadoopConfiguration());
    NpyArray l = Npy.read(new Path(labelsFile), jsc.hadoopConfiguration());
    if (e.dtype() != NpyArray.DType.FLOAT32 && e.dtype() != NpyArray.DType.FLOAT64) {
      throw new IllegalArgumentException(embeddingsFile + " holds " + e.dtype().descr()
          + "; embeddings must be float32 or float64 (numpy.save(f, z.astype(numpy.float32)))");
    }
    if (e.rank() != 2) {
      throw new IllegalArgumentException(embeddingsFile + " has shape "
          + java.util.Arrays.toString(e.shape()) + "; embeddings must be 2-D [N, D], stacked "
          + "view-major (reshape [V, n, D] to [V*n, D])");
    }
    int[] ls = l.shape();
    if (!(ls.length == 1 || (ls.length == 2 && ls[1] == 1))) {
      throw new IllegalArgumentException(labelsFile + " has shape "
          + java.util.Arrays.toString(ls) + "; labels must be 1-D [N]");
    }
    long[] labels = l.longs();
    if (labels.length != e.rows()) {
      throw new IllegalArgumentException(labelsFile + " holds " + labels.length + " labels but "
          + embeddingsFile + " holds " + e.rows() + " embeddings; give one label per row "
          + "(repeat the sample labels V times, view-major)");
    }
    StackLayout layout = config.layout(e.rows(), views);
    float[] flat = e.floats();
    int dim = e.shape()[1];
    List<StackedRow> rows = new ArrayList<>(e.rows());
    for (int i = 0; i < e.rows(); i++) {
      int label = (int) labels[i];
      if (label != labels[i]) {
        throw new IllegalArgumentException(labelsFile + ": row " + i + " has label "
            + labels[i] + "; the metrics are defined for binary labels 0 and 1");
      }
      int samples = layout.samples();
      if (labels[i] != labels[i % samples]) {
        throw new IllegalArgumentException(labelsFile + ": sample " + (i % samples) + " has "
            + "label " + labels[i % samples] + " in view 0 but " + labels[i] + " in view "
            + (i / samples) + " (row " + i + "); rows are stacked view-major, so the labels "
            + "must repeat the sample labels V times");
      }
      rows.add(new StackedRow(i, label, null,
          java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim)));
    }
    int slices = partitions > 0 ? partitions : jsc.defaultParallelism();
    return new EmbeddingStack(jsc.parallelize(rows, slices), layout, embeddingsFile);
  }
}
