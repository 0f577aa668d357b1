package org.ttcspark.loss;

import java.util.Arrays;

/**
 * Class-balanced weights from the effective number of samples (Cui et al., "Class-Balanced Loss
 * Based on Effective Number of Samples", CVPR 2019), as SBCL's second stage computes them
 * ({@code linear_classify.py}): with {@code E_c = (1 - beta^n_c) / (1 - beta)} the expected
 * volume of n_c samples, {@code w_c = 1 / E_c}, normalised to sum to the number of classes.
 * beta = 0 weighs all classes alike; beta towards 1 approaches inverse class frequency.
 */
public final class ClassBalance {
  private ClassBalance() {}

  /**
   * @param classCounts training samples per class, each at least 1
   * @param beta in [0, 1)
   * @return {@code [C]} weights summing to C
   * @throws IllegalArgumentException on a count below 1 or beta outside [0, 1)
   */
  public static double[] weights(long[] classCounts, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("class-balance beta is " + beta
          + "; it must be in [0, 1) (SBCL: 0.9999)");
    }
    LogitAdjust.classShares(classCounts); // checks the counts
    double[] w = new double[classCounts.length];
    double sum = 0;
    for (int c = 0; c < w.length; c++) {
      double effective = (1 - Math.pow(beta, classCounts[c])) / (1 - beta);
      w[c] = 1 / effective;
      sum += w[c];
    }
    for (int c = 0; c < w.length; c++) {
      w[c] *= w.length / sum;
    }
    return w;
  }

  /** Equal weights (1 each), what the deferred re-weighting uses before its epoch. */
  public static double[] uniform(int classes) {
    double[] w = new double[classes];
    Arrays.fill(w, 1);
    return w;
  }
}
