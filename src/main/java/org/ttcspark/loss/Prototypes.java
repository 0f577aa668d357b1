package org.ttcspark.loss;

import java.io.Serializable;
import java.util.Random;

/**
 * The two fixed class prototypes of SupProto and TSC: row c of {@link #rows()} is the prototype
 * of class c. SupProto's prototypes are antipodal unit vectors {@code [p, -p]}.
 *
 * @param rows row-major {@code [2, D]}
 * @param dim D
 */
public record Prototypes(float[] rows, int dim) implements Serializable {
  /**
   * Given prototypes.
   *
   * @param rows row-major {@code [2, D]}, finite
   * @throws IllegalArgumentException on a wrong length or non-finite values
   */
  public static Prototypes of(float[] rows, int dim) {
    if (rows == null || dim < 1 || rows.length != 2 * dim) {
      throw new IllegalArgumentException("prototypes must be [2, " + dim + "] (one row per "
          + "class, the dimension of the features) but hold " + (rows == null ? 0 : rows.length)
          + " values");
    }
    for (int i = 0; i < rows.length; i++) {
      if (!Float.isFinite(rows[i])) {
        throw new IllegalArgumentException("prototype of class " + i / dim + " holds " + rows[i]
            + " at dimension " + i % dim + "; prototypes must be finite");
      }
    }
    return new Prototypes(rows.clone(), dim);
  }

  /** {@code [p, -p]} for a random unit p (Gaussian direction) drawn from {@code seed}. */
  public static Prototypes random(int dim, long seed) {
    Random random = new Random(seed);
    double[] p = new double[dim];
    for (int j = 0; j < dim; j++) {
      p[j] = random.nextGaussian();
    }
    return antipodal(p, "a random direction");
  }

  /**
   * {@code [p, -p]} with p the unit vector of least summed cosine similarity to the given
   * projections: {@code p = -m / ||m||} with m their mean, since for unit rows
   * {@code sum_i p.z_i = n p.m} is smallest at {@code p = -m/||m||}.
   *
   * @param z row-major {@code [n, dim]} L2-normalised train projections
   * @throws IllegalArgumentException when their mean is (nearly) zero: no direction is preferred
   */
  public static Prototypes fromData(float[] z, int n, int dim) {
    if (n < 1 || z.length != (long) n * dim) {
      throw new IllegalArgumentException("projections for data prototypes must be [" + n + ", "
          + dim + "] but hold " + z.length + " values");
    }
    double[] sum = new double[dim];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < dim; j++) {
        sum[j] += z[r * dim + j];
      }
    }
    return fromProjectionSum(sum, n);
  }

  /**
   * {@link #fromData} from the sum of the projections, for callers that add them up
   * distributed: {@code p = -sum / ||sum||} (the mean's direction; n only names the count).
   *
   * @param sum {@code [D]} sum of {@code n} L2-normalised projections
   * @param n how many were summed, at least 1
   * @throws IllegalArgumentException when the sum is (nearly) zero
   */
  public static Prototypes fromProjectionSum(double[] sum, long n) {
    if (n < 1 || sum.length < 1) {
      throw new IllegalArgumentException("data prototypes need the sum of at least one "
          + "projection, got " + n + " projections of dimension " + sum.length);
    }
    double[] m = new double[sum.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = -sum[j] / n;
    }
    return antipodal(m, "minus the mean of " + n + " projections");
  }

  private static Prototypes antipodal(double[] p, String what) {
    int dim = p.length;
    double norm = 0;
    for (double v : p) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12) || !Double.isFinite(norm)) {
      throw new IllegalArgumentException("cannot normalise " + what + " (norm " + norm
          + ") into a prototype; use loss.prototypes = random or other projections");
    }
    float[] rows = new float[2 * dim];
    for (int j = 0; j < dim; j++) {
      rows[j] = (float) (p[j] / norm);
      rows[dim + j] = -rows[j];
    }
    return new Prototypes(rows, dim);
  }
}
