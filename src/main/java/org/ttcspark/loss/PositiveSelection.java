package org.ttcspark.loss;

import java.util.SplittableRandom;

/**
 * How KCL and TSC choose their k same-class positives among an anchor's candidates (the rows of
 * the other samples of its class, in ascending row order). Configuration words are kebab-case:
 * {@code random}, {@code all}, {@code first-k}.
 */
public enum PositiveSelection {
  /** k candidates drawn uniformly without replacement: the method as published. */
  RANDOM,
  /** Every candidate, whatever k. */
  ALL,
  /** The k candidates of lowest row index: deterministic, for tests and cross-checks. */
  FIRST_K;

  /**
   * Moves the chosen candidates to the front of {@code candidates}.
   *
   * @param candidates candidate rows, ascending; reordered in place
   * @param count number of candidates
   * @param k wanted positives, at least 1
   * @param random source for {@link #RANDOM}
   * @return the number chosen: {@code min(k, count)}, or {@code count} for {@link #ALL}
   */
  public int choose(int[] candidates, int count, int k, SplittableRandom random) {
    switch (this) {
      case ALL:
        return count;
      case FIRST_K:
        return Math.min(k, count);
      default:
        int chosen = Math.min(k, count);
        if (chosen == count) {
          return count;
        }
        for (int i = 0; i < chosen; i++) {
          int j = i + random.nextInt(count - i);
          int t = candidates[i];
          candidates[i] = candidates[j];
          candidates[j] = t;
        }
        return chosen;
    }
  }
}
