package org.ttcspark.loss;

/**
 * The two numbers that tell a collapsed batch (every projection at one point) from a working
 * one: the batch's mean pairwise cosine similarity, and the loss a fully collapsed batch would
 * have ({@link ContrastiveLoss#collapsedLoss}). Pure and thread-safe.
 *
 * <p>Why a collapsed batch has a fixed loss: when all {@code n = V*B} rows equal one unit vector
 * m, every similarity between rows is 1, so every logit is {@code 1/tau}; an anchor's
 * log-sum-exp over a denominator of {@code N} rows (times the weight w) is
 * {@code 1/tau + log(w N)} and the mean of its positive logits is {@code 1/tau}, leaving
 * {@code coef * log(w N)} whatever tau is. For the NT-Xent forms (SimCLR, SupCon, SupMin, KCL)
 * N is the {@code n - 1} other rows: {@code (tau/tau_b) log(2B - 1)} with two views. Terms that
 * involve prototypes depend on where the batch collapsed; they are evaluated at m, the
 * normalised mean row of the batch ({@link #point}).
 */
public final class Collapse {
  private Collapse() {}

  /**
   * The mean cosine similarity over the {@code n(n-1)/2} distinct pairs of rows, each row
   * L2-normalised first: {@code (|sum_i u_i|^2 - n) / (n(n-1))} with {@code u_i} the unit rows,
   * O(n d). Zero rows count as unit rows of no direction (they add 0 to every pair).
   *
   * @param z row-major {@code [rows, dim]}
   * @return the mean, in [-1/(n-1), 1]; NaN when {@code rows < 2}
   * @throws IllegalArgumentException if z does not hold {@code rows * dim} values
   */
  public static double meanCosine(float[] z, int rows, int dim) {
    if (z == null || (long) rows * dim != z.length) {
      throw new IllegalArgumentException("projections hold " + (z == null ? 0 : z.length)
          + " values, not " + rows + " rows x " + dim + " dims");
    }
    if (rows < 2) {
      return Double.NaN;
    }
    double[] sum = new double[dim];
    double squares = 0;
    for (int r = 0; r < rows; r++) {
      double sq = 0;
      for (int j = 0; j < dim; j++) {
        double v = z[r * dim + j];
        sq += v * v;
      }
      if (sq == 0) {
        continue;
      }
      double inv = 1 / Math.sqrt(sq);
      for (int j = 0; j < dim; j++) {
        sum[j] += z[r * dim + j] * inv;
      }
      squares += 1;
    }
    double total = 0;
    for (double s : sum) {
      total += s * s;
    }
    // |sum u|^2 = sum_i |u_i|^2 + 2 sum_{i<j} u_i.u_j
    return (total - squares) / ((double) rows * (rows - 1));
  }

  /** The batch's normalised mean row {@code [D]}: where it would sit if it collapsed. */
  public static double[] point(ContrastiveBatch batch) {
    int d = batch.dim();
    double[] m = new double[d];
    float[] z = batch.z();
    for (int r = 0; r < batch.rows(); r++) {
      for (int j = 0; j < d; j++) {
        m[j] += z[r * d + j];
      }
    }
    double sq = 0;
    for (double v : m) {
      sq += v * v;
    }
    if (sq == 0) {
      m[0] = 1; // rows cancel out: any unit point is as good
      return m;
    }
    double inv = 1 / Math.sqrt(sq);
    for (int j = 0; j < d; j++) {
      m[j] *= inv;
    }
    return m;
  }

  /** {@code m . prototype_k} for a unit point m. */
  static double prototypeSimilarity(double[] m, Prototypes prototypes, int k) {
    int d = prototypes.dim();
    double dot = 0;
    for (int j = 0; j < d; j++) {
      dot += m[j] * prototypes.rows()[k * d + j];
    }
    return dot;
  }
}
