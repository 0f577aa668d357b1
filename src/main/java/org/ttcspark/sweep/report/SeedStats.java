package org.ttcspark.sweep.report;

import java.util.List;

/**
 * One method's values of one metric over seeds: the mean, and as the spread the range
 * (min–max). The range, not a standard deviation, because sweeps run two or three seeds, where a
 * standard deviation says little and the range says exactly what was seen.
 *
 * @param n number of values (seeds)
 */
public record SeedStats(int n, double mean, double min, double max) {

  /** The statistics of {@code values}; non-finite values are left out; null when none is left. */
  public static SeedStats of(List<Double> values) {
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int n = 0;
    for (Double v : values) {
      if (v != null && Double.isFinite(v)) {
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        n++;
      }
    }
    return n == 0 ? null : new SeedStats(n, sum / n, min, max);
  }

  /** max − min: zero for one seed. */
  public double range() {
    return max - min;
  }

  /**
   * Whether this lies wholly above {@code other}: both have at least two seeds and this one's
   * worst seed beats the other's best. A lead that is not clear is within the seed spread.
   */
  public boolean clearlyAbove(SeedStats other) {
    return n >= 2 && other.n >= 2 && min > other.max;
  }

  /** "0.812 (0.801–0.823)" or, for one seed, "0.812". */
  public String format(MetricScale scale) {
    return n < 2 ? scale.format(mean)
        : scale.format(mean) + " (" + scale.format(min) + "–" + scale.format(max) + ")";
  }
}
