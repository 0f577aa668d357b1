package org.ttcspark.train;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.data.Columns;
import org.ttcspark.data.Images;
import org.ttcspark.data.Manifest;
import org.ttcspark.platform.HadoopFiles;

/**
 * Reads a split of a prepared dataset (see {@link Columns}) as decoded {@link TrainSample}s, and
 * the manifest's per-channel statistics. Decoding happens here only, so it can be swapped for
 * the data stage's decoder.
 *
 * @param path the dataset folder
 * @param channels image channels (1 or 3)
 * @param imageSize image side in pixels when every image is square of one size, else -1
 * @param mean per-channel mean of the train split
 * @param std per-channel standard deviation of the train split
 */
public record PreparedImages(String path, int channels, int imageSize, float[] mean,
    float[] std) {

  /**
   * How every cached set of decoded samples is kept (the train split, its slices in either loss
   * scope, the val split, fine-tuning's splits, SBCL's relabelled split): a block evicted for
   * want of storage memory is written to the executor's local disk and read back from there,
   * where {@code MEMORY_ONLY} would recompute it in every job that reads it: from the layout's
   * shuffle files for a slice, by decoding again for a split cached straight from decoding. Deserialised in memory: a slice is read by every iteration, and 8-bit pixels
   * serialise to their own size (measured: 147.0 against 147.1 KiB per 224 px image), so
   * serialising would cost reading time for nothing.
   */
  public static final StorageLevel CACHED = StorageLevel.MEMORY_AND_DISK();

  /**
   * Opens a prepared dataset.
   *
   * @throws IllegalArgumentException if the folder or its manifest is missing or unreadable
   */
  public static PreparedImages open(String path, Configuration hadoop) {
    Path manifest = new Path(path, Columns.MANIFEST);
    Manifest m;
    try {
      if (!manifest.getFileSystem(hadoop).exists(manifest)) {
        throw new IllegalArgumentException("dataset.prepared = " + path + " is not a prepared dataset: "
            + manifest + " is missing (run ttc prepare first, or fix dataset.path)");
      }
      m = Manifest.parse(HadoopFiles.readString(manifest, hadoop), manifest.toString());
    } catch (IOException | IllegalStateException e) {
      throw new IllegalArgumentException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
    int side = m.height() > 0 && m.width() == m.height() ? m.height() : -1;
    return new PreparedImages(path, m.channels(), side, m.meanFloats(), m.stdFloats());
  }


  /**
   * The rows of one split (lazy). The split's folder is read directly (with the dataset as the
   * partition base) so that {@code manifest.json} beside the Parquet is not taken for data.
   */
  public Dataset<Row> rows(SparkSession spark, String split) {
    return spark.read().option("basePath", path)
        .parquet(new Path(path, Columns.SPLIT + "=" + split).toString());
  }

  /** One split decoded, with cluster id -1. */
  public JavaRDD<TrainSample> samples(SparkSession spark, String split) {
    final int c = channels;
    return rows(spark, split).select(Columns.ID, Columns.LABEL, Columns.IMAGE).javaRDD()
        .map(r -> decode(r.getString(0), r.getInt(1), (byte[]) r.get(2), c));
  }

  /**
   * The sub-type of every image of a split that has one, by image id; empty when the dataset
   * has no {@link Columns#SUBTYPE} column or no sub-types in the split. Collected to the driver:
   * for the val split, which is small.
   */
  public Map<String, Integer> subtypes(SparkSession spark, String split) {
    Dataset<Row> rows = rows(spark, split);
    Map<String, Integer> out = new HashMap<>();
    if (!Arrays.asList(rows.columns()).contains(Columns.SUBTYPE)) {
      return out;
    }
    for (Row r : rows.select(Columns.ID, Columns.SUBTYPE)
        .where(rows.col(Columns.SUBTYPE).isNotNull()).collectAsList()) {
      out.put(r.getString(0), ((Number) r.get(1)).intValue());
    }
    return out;
  }

  /** Label counts of a split: index = label. */
  public long[] counts(SparkSession spark, String split) {
    long[] out = new long[2];
    List<Row> rows = rows(spark, split).groupBy(Columns.LABEL).count().collectAsList();
    for (Row r : rows) {
      out[r.getInt(0)] = r.getLong(1);
    }
    return out;
  }

  /**
   * Decodes PNG/JPEG bytes with the data stage's decoder to 8-bit samples
   * {@code [channels, h, w]}, a gray image repeated into R, G and B for a 3-channel dataset.
   *
   * @throws IllegalArgumentException for an RGB image in a dataset whose manifest says 1
   *     channel: its gray form (luma) is not 8-bit, and {@code prepare} writes 1 channel only
   *     when every image is gray, so the manifest does not belong to these images
   */
  public static TrainSample decode(String id, int label, byte[] bytes, int channels) {
    Images.Decoded d = Images.decode(bytes);
    if (d.channels() > channels) {
      throw new IllegalArgumentException("image " + id + " is RGB but the prepared dataset's "
          + "manifest.json says image.channels = " + channels + " (prepare writes 1 only when "
          + "every image is gray): the manifest does not match the images; prepare the "
          + "dataset again");
    }
    return new TrainSample(id, label, -1, channels, d.height(), d.width(),
        Images.planarBytes(d, channels));
  }
}
