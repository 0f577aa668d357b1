package org.ttcspark.train;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The subclasses of one SBCL clustering: per class, the unit directions of its k-means centres
 * (cosine k-means), and the ids they give. Class c owns the ids {@code offset(c) ..
 * offset(c) + count(c) - 1} with {@code offset(c)} the sum of the counts of the classes before
 * it, so an id is never shared by two classes (as the SBCL loss requires). A sample belongs to
 * the centre of its class with the largest cosine similarity, which is the assignment Spark's
 * {@code KMeansModel} makes with the cosine distance. Immutable; safe to share between threads.
 */
public final class SubclassCentres implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int dim;
  private final int[] counts;
  private final float[][] centres;

  /**
   * @param dim D, the projection dimension
   * @param centres per class, row-major {@code [k_c, D]} centres (any length; normalised here)
   * @throws IllegalArgumentException on a class without centres, a wrong length, or a zero or
   *     non-finite centre
   */
  public SubclassCentres(int dim, float[][] centres) {
    this.dim = dim;
    this.counts = new int[centres.length];
    this.centres = new float[centres.length][];
    for (int c = 0; c < centres.length; c++) {
      float[] rows = centres[c];
      if (rows == null || rows.length == 0 || rows.length % dim != 0) {
        throw new IllegalArgumentException("class " + c + " needs centres of dimension " + dim
            + ", got " + (rows == null ? 0 : rows.length) + " values");
      }
      counts[c] = rows.length / dim;
      this.centres[c] = new float[rows.length];
      for (int k = 0; k < counts[c]; k++) {
        unit(rows, k * dim, dim, this.centres[c], c);
      }
    }
  }

  /** Projection dimension D. */
  public int dim() {
    return dim;
  }

  /** Number of classes. */
  public int classes() {
    return counts.length;
  }

  /** Subclasses of class {@code c}. */
  public int count(int c) {
    return counts[c];
  }

  /** The first subclass id of class {@code c}. */
  public int offset(int c) {
    int o = 0;
    for (int i = 0; i < c; i++) {
      o += counts[i];
    }
    return o;
  }

  /** Unit centre {@code k} of class {@code c}, a copy of length D. */
  public float[] centre(int c, int k) {
    return Arrays.copyOfRange(centres[c], k * dim, (k + 1) * dim);
  }

  /**
   * The subclass id of a sample of class {@code label} with projection {@code z}: the class's
   * centre of largest cosine similarity (the lowest index on ties).
   *
   * @param z {@code [D]}, any non-zero length (only its direction counts)
   * @throws IllegalArgumentException on a label outside the classes or a wrong dimension
   */
  public int assign(int label, float[] z) {
    if (label < 0 || label >= counts.length || z.length != dim) {
      throw new IllegalArgumentException("cannot assign a subclass to a sample of class " + label
          + " with a " + z.length + "-d projection: the clustering has " + counts.length
          + " classes of dimension " + dim);
    }
    float[] rows = centres[label];
    int best = 0;
    double bestDot = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < counts[label]; k++) {
      double dot = 0;
      for (int j = 0; j < dim; j++) {
        dot += (double) rows[k * dim + j] * z[j];
      }
      if (dot > bestDot) {
        bestDot = dot;
        best = k;
      }
    }
    return offset(label) + best;
  }

  private static void unit(float[] from, int at, int dim, float[] to, int c) {
    double sq = 0;
    for (int j = 0; j < dim; j++) {
      sq += (double) from[at + j] * from[at + j];
    }
    double norm = Math.sqrt(sq);
    if (!(norm > 0) || !Double.isFinite(norm)) {
      throw new IllegalArgumentException("a centre of class " + c + " has norm " + norm
          + "; cosine centres must be non-zero and finite");
    }
    for (int j = 0; j < dim; j++) {
      to[at + j] = (float) (from[at + j] / norm);
    }
  }
}
