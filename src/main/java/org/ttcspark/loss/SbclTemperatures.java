package org.ttcspark.loss;

import java.util.Arrays;

/**
 * SBCL's class-level quantities (Hou et al., ICCV 2023, and README, "Losses"): how many subclasses each
 * class is split into, and the per-class temperatures of the {@code rank} variant, derived from
 * how spread out each class is in the embedding space.
 */
public final class SbclTemperatures {
  /** Percentiles between which the class densities are clipped (README, "Losses"). */
  static final double LOW_PERCENTILE = 20;
  static final double HIGH_PERCENTILE = 80;

  private SbclTemperatures() {}

  /**
   * Subclass count per class: {@code n_c / max(min_c n_c, 10)} (integer division), at least 1.
   * The majority class of a binary dataset is thereby split into clusters of about minority size.
   *
   * @param classCounts training samples per class, each at least 0
   */
  public static int[] subclassCounts(long[] classCounts) {
    if (classCounts.length == 0) {
      throw new IllegalArgumentException("subclass counts need at least one class count");
    }
    long min = Arrays.stream(classCounts).min().getAsLong();
    if (min < 0) {
      throw new IllegalArgumentException("class counts " + Arrays.toString(classCounts)
          + " contain a negative count");
    }
    long size = Math.max(min, 10);
    int[] out = new int[classCounts.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = (int) Math.max(1, classCounts[c] / size);
    }
    return out;
  }

  /**
   * Per-class temperatures {@code tau_c = tau * d_c / mean(d)}, where {@code d_c} is the mean
   * Euclidean distance of class c's embeddings to their mean, divided by {@code log(n_c + 10)},
   * clipped to the 20th-80th percentile over classes (linear interpolation, as NumPy). A class
   * split into a single subclass gets {@code tau}; so does every class when all d are 0.
   *
   * @param z row-major {@code [n, dim]} embeddings of the training set (any order)
   * @param labels {@code [n]} class per row, in {@code [0, subclassCounts.length)}
   * @param subclassCounts subclasses per class ({@link #subclassCounts})
   * @param tau the base temperature of SBCL ({@code loss.sbcl.temperature}), greater than 0
   * @throws IllegalArgumentException on shape mismatches, a label out of range or a class
   *     without embeddings
   */
  public static double[] classTemperatures(float[] z, int n, int dim, int[] labels,
      int[] subclassCounts, double tau) {
    ContrastiveLoss.positive("sbcl.temperature", tau);
    int classes = subclassCounts.length;
    if (z.length != (long) n * dim || labels.length != n) {
      throw new IllegalArgumentException("embeddings [" + n + ", " + dim + "] need " + n * dim
          + " values and " + n + " labels, got " + z.length + " and " + labels.length);
    }
    double[][] centre = new double[classes][dim];
    long[] count = new long[classes];
    for (int r = 0; r < n; r++) {
      int c = labels[r];
      if (c < 0 || c >= classes) {
        throw new IllegalArgumentException("label " + c + " of row " + r + " is not a class "
            + "of the " + classes + " subclass counts given");
      }
      count[c]++;
      for (int j = 0; j < dim; j++) {
        centre[c][j] += z[r * dim + j];
      }
    }
    for (int c = 0; c < classes; c++) {
      if (count[c] == 0) {
        throw new IllegalArgumentException("class " + c + " has no embeddings; its SBCL "
            + "temperature cannot be derived (set loss.sbcl.class-temperatures)");
      }
      for (int j = 0; j < dim; j++) {
        centre[c][j] /= count[c];
      }
    }
    double[] d = new double[classes];
    for (int r = 0; r < n; r++) {
      int c = labels[r];
      double sq = 0;
      for (int j = 0; j < dim; j++) {
        double diff = z[r * dim + j] - centre[c][j];
        sq += diff * diff;
      }
      d[c] += Math.sqrt(sq);
    }
    for (int c = 0; c < classes; c++) {
      d[c] = d[c] / count[c];
    }
    return fromSpread(d, count, subclassCounts, tau);
  }

  /**
   * {@link #classTemperatures} from each class's mean Euclidean distance to its centre, for
   * callers that compute the distances distributed.
   *
   * @param meanDistance {@code [classes]} mean distance of a class's embeddings to their mean
   * @param counts {@code [classes]} embeddings per class, each at least 1
   * @param subclassCounts {@code [classes]} subclasses per class
   * @param tau SBCL's temperature, greater than 0
   */
  public static double[] fromSpread(double[] meanDistance, long[] counts, int[] subclassCounts,
      double tau) {
    ContrastiveLoss.positive("sbcl.temperature", tau);
    int classes = subclassCounts.length;
    if (meanDistance.length != classes || counts.length != classes) {
      throw new IllegalArgumentException("class spread needs one distance and one count per "
          + "class (" + classes + "), got " + meanDistance.length + " and " + counts.length);
    }
    double[] d = new double[classes];
    for (int c = 0; c < classes; c++) {
      if (counts[c] < 1) {
        throw new IllegalArgumentException("class " + c + " has no embeddings; its SBCL "
            + "temperature cannot be derived (set loss.sbcl.class-temperatures)");
      }
      d[c] = meanDistance[c] / Math.log(counts[c] + 10);
    }
    double lo = percentile(d, LOW_PERCENTILE);
    double hi = percentile(d, HIGH_PERCENTILE);
    double mean = 0;
    for (int c = 0; c < classes; c++) {
      d[c] = Math.min(Math.max(d[c], lo), hi);
      mean += d[c] / classes;
    }
    double[] out = new double[classes];
    for (int c = 0; c < classes; c++) {
      out[c] = subclassCounts[c] == 1 || !(mean > 0) ? tau : tau * d[c] / mean;
    }
    return out;
  }

  /** NumPy's default percentile: linear interpolation between the closest ranks. */
  static double percentile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double pos = q / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
