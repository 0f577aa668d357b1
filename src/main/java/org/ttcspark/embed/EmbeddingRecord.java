package org.ttcspark.embed;

import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One row of stored embeddings (see {@link EmbeddingColumns}).
 *
 * @param id image identifier
 * @param split "train", "val" or "test"
 * @param label 0 or 1
 * @param subtype latent sub-type, nullable
 * @param view 0 for the evaluation transform, 0..V-1 for augmented views
 * @param feature {@code [backbone dim]} backbone output
 * @param projection {@code [128]} L2-normalised projection
 */
public record EmbeddingRecord(String id, String split, int label, Integer subtype, int view,
    float[] feature, float[] projection) implements Serializable {

  /** As a Spark row in {@link EmbeddingColumns#SCHEMA} order. */
  public Row toRow() {
    return RowFactory.create(id, split, label, subtype, view, boxed(feature), boxed(projection));
  }

  /** Reads a row with the {@link EmbeddingColumns#SCHEMA} columns (any order). */
  public static EmbeddingRecord of(Row row) {
    int subtypeAt = row.fieldIndex(EmbeddingColumns.SUBTYPE);
    return new EmbeddingRecord(row.getString(row.fieldIndex(EmbeddingColumns.ID)),
        row.getString(row.fieldIndex(EmbeddingColumns.SPLIT)),
        row.getInt(row.fieldIndex(EmbeddingColumns.LABEL)),
        row.isNullAt(subtypeAt) ? null : row.getInt(subtypeAt),
        row.getInt(row.fieldIndex(EmbeddingColumns.VIEW)),
        floats(row, EmbeddingColumns.FEATURE), floats(row, EmbeddingColumns.PROJECTION));
  }

  /** A float array column of a row. */
  public static float[] floats(Row row, String column) {
    java.util.List<Object> values = row.getList(row.fieldIndex(column));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  private static Float[] boxed(float[] values) {
    Float[] out = new Float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
