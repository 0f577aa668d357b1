package org.ttcspark.embed;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of stored embeddings: the contract between {@code embed} (which writes them) and
 * {@code probe}, {@code metrics} and the report (which read them).
 *
 * <p>An embeddings folder (any Hadoop path) holds plain Parquet files, not partitioned, one row
 * per (image, view) with the columns below. {@link EmbeddingsWriter} writes it atomically (to
 * a hidden sibling, renamed when complete) and {@link EmbeddingsReader} checks the schema.
 *
 * <p>Views: view 0 is the plain evaluation transform (resize the short side to 1.15 x size,
 * centre crop); views 0..V-1 of an id are V augmented views when {@code embed} was asked for
 * them (for SAA). {@code metrics} stacks the rows of one split view-major: samples ordered by
 * {@link #ID}, row {@code v * n + i} = view v of the i-th id. Every id of the split must have
 * the same views 0..V-1. {@code probe} uses view 0 only.
 */
public final class EmbeddingColumns {
  /** Identifier of the image, as in the prepared dataset (string, not null). */
  public static final String ID = "id";
  /** "train", "val" or "test" (string, not null). */
  public static final String SPLIT = "split";
  /** Binary label 0/1 (int, not null). */
  public static final String LABEL = "label";
  /** Latent sub-type within the class (int, null where the source has none). */
  public static final String SUBTYPE = "subtype";
  /** View number: 0 for the evaluation transform, 0..V-1 for augmented views (int). */
  public static final String VIEW = "view";
  /** Backbone output before the head: 2048 (ResNet-50) or 512 (ResNet-18) (array&lt;float&gt;). */
  public static final String FEATURE = "feature";
  /** L2-normalised projection-head output, 128 (array&lt;float&gt;). */
  public static final String PROJECTION = "projection";

  /** The Spark schema, in column order. */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField(ID, DataTypes.StringType, false),
      DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
      DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
      DataTypes.createStructField(SUBTYPE, DataTypes.IntegerType, true),
      DataTypes.createStructField(VIEW, DataTypes.IntegerType, false),
      DataTypes.createStructField(FEATURE,
          DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField(PROJECTION,
          DataTypes.createArrayType(DataTypes.FloatType, false), false)});

  private EmbeddingColumns() {}
}
