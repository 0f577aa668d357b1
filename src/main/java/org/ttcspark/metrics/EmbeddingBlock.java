package org.ttcspark.metrics;

import java.io.Serializable;

/**
 * A contiguous run of rows of the stacked embedding matrix, L2-normalised, with their labels:
 * the unit of work of the neighbour search. Row {@code i} of the block is row
 * {@code start + i} of the view-major stack (row {@code v * n + s} is view v of sample s).
 * The values are one flat row-major array so that a block is a GEMM operand as it is.
 *
 * @param start index of the first row in the whole stack
 * @param dim embedding dimension
 * @param values {@code [count * dim]} row-major, each row of unit length (normalised in
 *     float64)
 * @param labels {@code [count]}, class 0 or 1 of each row
 * @param subtypes {@code [count]} latent sub-type of each row within its class, or {@code null}
 *     when the embeddings carry none
 */
public record EmbeddingBlock(int start, int dim, double[] values, int[] labels, int[] subtypes)
    implements Serializable {

  public EmbeddingBlock {
    if ((long) labels.length * dim != values.length
        || (subtypes != null && subtypes.length != labels.length)) {
      throw new IllegalArgumentException("block at row " + start + ": " + values.length
          + " values for " + labels.length + " labels of dimension " + dim
          + (subtypes == null ? "" : " and " + subtypes.length + " sub-types"));
    }
  }

  /**
   * Normalises raw rows into a block, rejecting what has no direction.
   *
   * @param raw {@code [count, dim]} embeddings as stored (any length)
   * @param source names the input in error messages (a file or folder)
   * @throws IllegalArgumentException for a label other than 0/1, mixed dimensions, a NaN or
   *     infinite value, or a zero-norm row, naming the row
   */
  public static EmbeddingBlock normalise(int start, float[][] raw, int[] labels, int[] subtypes,
      String source) {
    int dim = raw.length == 0 ? 0 : raw[0].length;
    double[] values = new double[raw.length * dim];
    for (int i = 0; i < raw.length; i++) {
      int row = start + i;
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(source + ": row " + row + " has label " + labels[i]
            + "; the metrics are defined for binary labels 0 and 1");
      }
      if (raw[i].length != dim) {
        throw new IllegalArgumentException(source + ": row " + row + " has " + raw[i].length
            + " values but row " + start + " has " + dim + "; every embedding needs the same "
            + "dimension");
      }
      System.arraycopy(unit(raw[i], row, source), 0, values, i * dim, dim);
    }
    return new EmbeddingBlock(start, dim, values, labels, subtypes);
  }

  /** Number of rows. */
  public int count() {
    return labels.length;
  }

  /** {@code x} scaled to unit length in float64. @throws IllegalArgumentException as above */
  public static double[] unit(float[] x, int row, String source) {
    double sq = 0;
    for (float v : x) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(source + ": row " + row + " contains " + v
            + "; the metrics need finite embeddings (drop or recompute that row)");
      }
      sq += (double) v * v;
    }
    if (sq == 0) {
      throw new IllegalArgumentException(source + ": row " + row + " is all zeros; a zero-norm "
          + "embedding has no direction to normalise (drop or recompute that row)");
    }
    double inv = 1.0 / Math.sqrt(sq);
    double[] out = new double[x.length];
    for (int d = 0; d < x.length; d++) {
      out[d] = x[d] * inv;
    }
    return out;
  }
}
