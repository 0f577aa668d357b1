package org.ttcspark.data;

import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.ttcspark.platform.HadoopFiles;

/**
 * A prepared dataset opened for reading by the later stages: its {@link Manifest} and its
 * splits as DataFrames with the {@link Columns} schema.
 */
public final class PreparedDataset {
  private final String path;
  private final Manifest manifest;
  private final SparkSession spark;

  private PreparedDataset(String path, Manifest manifest, SparkSession spark) {
    this.path = path;
    this.manifest = manifest;
    this.spark = spark;
  }

  /**
   * Opens the dataset at a Hadoop path.
   *
   * @throws IllegalArgumentException when the folder has no manifest (absent or incomplete)
   */
  public static PreparedDataset open(String path, SparkSession spark) throws IOException {
    Path manifestPath = new Path(path, Columns.MANIFEST);
    var conf = spark.sparkContext().hadoopConfiguration();
    if (!manifestPath.getFileSystem(conf).exists(manifestPath)) {
      throw new IllegalArgumentException(path + " is not a prepared dataset (no "
          + Columns.MANIFEST + "); run ttc prepare with dataset.prepared=" + path);
    }
    Manifest m = Manifest.parse(HadoopFiles.readString(manifestPath, conf),
        manifestPath.toString());
    return new PreparedDataset(path, m, spark);
  }

  public Manifest manifest() {
    return manifest;
  }

  /** The folder. */
  public String path() {
    return path;
  }

  /**
   * The rows of one split (train, val or test), all {@link Columns} included; an empty frame
   * with the same schema for a split without rows.
   */
  public Dataset<Row> split(String split) {
    if (manifest.count(split) == 0) {
      return all().where(functions.lit(false));
    }
    return spark.read().option("basePath", path).parquet(path + "/" + Columns.SPLIT + "=" + split);
  }

  /** Every row of every split. */
  public Dataset<Row> all() {
    return spark.read().option("basePath", path).parquet(path + "/" + Columns.SPLIT + "=*");
  }
}
