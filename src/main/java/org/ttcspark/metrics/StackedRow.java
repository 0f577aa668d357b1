package org.ttcspark.metrics;

import java.io.Serializable;

/**
 * One embedding with its place in the view-major stack.
 *
 * @param row index in the stack, {@code view * n + sample}
 * @param label 0 or 1
 * @param subtype latent sub-type within the class, nullable
 * @param values {@code [dim]} the embedding as stored (not necessarily unit length)
 */
public record StackedRow(int row, int label, Integer subtype, float[] values)
    implements Serializable {

  /**
   * What is wrong with this row for the metrics, or null if nothing: a label other than 0/1, a
   * non-finite value, a zero norm or a dimension other than {@code dim}.
   */
  public String problem(int dim, String source) {
    try {
      EmbeddingBlock.normalise(row, new float[][] {values}, new int[] {label}, null, source);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (values.length != dim) {
      return source + ": row " + row + " has " + values.length + " values but row 0 has " + dim
          + "; every embedding needs the same dimension";
    }
    return null;
  }
}
