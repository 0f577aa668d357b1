package org.ttcspark.embed;

import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Reads stored embeddings ({@link EmbeddingColumns}) and checks their schema first. */
public final class EmbeddingsReader {
  /** The folder name {@code ttc embed} writes into a run folder by default. */
  public static final String EMBED_FOLDER = "embeddings";

  private EmbeddingsReader() {}

  /**
   * The embeddings of a folder, columns in {@link EmbeddingColumns#SCHEMA} order.
   *
   * @throws IllegalArgumentException if the folder is missing or a column is missing or of the
   *     wrong type, naming the folder and the column
   */
  public static Dataset<Row> read(SparkSession spark, String folder) throws java.io.IOException {
    Path path = new Path(folder);
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(path)) {
      throw new IllegalArgumentException("embeddings folder " + folder + " does not exist; "
          + "write it with ttc embed or pass the folder embed wrote");
    }
    Path inside = new Path(path, EMBED_FOLDER);
    String hint = fs.isDirectory(inside) ? " (a run folder? its embeddings are in " + inside + ")"
        : "";
    Dataset<Row> df;
    try {
      df = spark.read().parquet(folder);
    } catch (Exception e) {
      // Spark's AnalysisException ("Unable to infer schema") or a footer error from a job
      String m = String.valueOf(e.getMessage());
      String why = m.contains("Unable to infer schema") ? "it holds no Parquet files"
          : m.contains("is not a Parquet file") ? "it holds files that are not Parquet"
          : "it cannot be read as Parquet";
      throw new IllegalArgumentException(folder + " is not an embeddings folder: " + why
          + "; pass the folder ttc embed wrote" + hint, e);
    }
    if (!Arrays.asList(df.schema().fieldNames()).contains(EmbeddingColumns.VIEW)
        && !hint.isEmpty()) {
      throw new IllegalArgumentException(folder + " is not an embeddings folder" + hint);
    }
    checkSchema(df.schema(), folder);
    return df.select(columns());
  }

  /** Every column of the format, in order. */
  static Column[] columns() {
    return Arrays.stream(EmbeddingColumns.SCHEMA.fieldNames()).map(functions::col)
        .toArray(Column[]::new);
  }

  /** Checks that every column is present with a compatible type. */
  public static void checkSchema(StructType schema, String source) {
    for (StructField want : EmbeddingColumns.SCHEMA.fields()) {
      if (!Arrays.asList(schema.fieldNames()).contains(want.name())) {
        throw new IllegalArgumentException(source + " has no column '" + want.name()
            + "' (it has " + String.join(", ", schema.fieldNames()) + "); embeddings need "
            + String.join(", ", EmbeddingColumns.SCHEMA.fieldNames()));
      }
      DataType found = schema.apply(want.name()).dataType();
      if (!compatible(want.dataType(), found)) {
        throw new IllegalArgumentException(source + ": column '" + want.name() + "' is "
            + found.simpleString() + " but must be " + want.dataType().simpleString());
      }
    }
  }

  private static boolean compatible(DataType want, DataType found) {
    if (want instanceof ArrayType w && found instanceof ArrayType f) {
      return w.elementType().equals(f.elementType());
    }
    return want.equals(found);
  }
}
