package org.ttcspark.embed;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.platform.HadoopFiles;

/**
 * Writes stored embeddings in the {@link EmbeddingColumns} format, atomically: the Parquet goes
 * to a hidden sibling folder that is renamed onto the target when complete, so a failed write
 * leaves nothing that looks like embeddings.
 */
public final class EmbeddingsWriter {
  private EmbeddingsWriter() {}

  /** Writes records collected on the driver (tests, small sets). */
  public static void write(SparkSession spark, List<EmbeddingRecord> records, String folder)
      throws IOException {
    List<Row> rows = new ArrayList<>(records.size());
    for (EmbeddingRecord r : records) {
      rows.add(r.toRow());
    }
    write(spark.createDataFrame(rows, EmbeddingColumns.SCHEMA), folder);
  }

  /**
   * Writes a DataFrame that has the {@link EmbeddingColumns#SCHEMA} columns.
   *
   * @param folder target folder (Hadoop path); replaced if it exists
   */
  public static void write(Dataset<Row> embeddings, String folder) throws IOException {
    EmbeddingsReader.checkSchema(embeddings.schema(), folder);
    Configuration conf = embeddings.sparkSession().sparkContext().hadoopConfiguration();
    Path target = new Path(folder);
    Path tmp = HadoopFiles.temporarySibling(target);
    FileSystem fs = target.getFileSystem(conf);
    try {
      embeddings.select(EmbeddingsReader.columns()).write().mode(SaveMode.ErrorIfExists)
          .parquet(tmp.toString());
      HadoopFiles.replace(fs, tmp, target);
    } finally {
      fs.delete(tmp, true);
    }
  }
}
