package org.ttcspark.train;

import java.io.Serializable;

/**
 * The paper's learning-rate schedule, per iteration: linear warm-up from {@code base * 0.1} to
 * {@code base} over the warm-up iterations, then cosine decay from {@code base} to
 * {@code base * 0.001} at the last iteration. Pure and immutable.
 *
 * @param base the peak learning rate (after warm-up)
 * @param warmUpIterations iterations of linear warm-up (0: none)
 * @param totalIterations iterations of the whole run (warm-up included), at least 1
 */
public record LrSchedule(double base, int warmUpIterations, int totalIterations)
    implements Serializable {
  /** Where the warm-up starts, as a fraction of {@code base}. */
  public static final double WARM_UP_START = 0.1;
  /** Where the cosine ends, as a fraction of {@code base}. */
  public static final double FINAL = 0.001;

  public LrSchedule {
    if (!(base > 0) || warmUpIterations < 0 || totalIterations < 1
        || warmUpIterations > totalIterations) {
      throw new IllegalArgumentException("learning-rate schedule needs base > 0 and 0 <= warm-up "
          + "<= total >= 1; got base " + base + ", warm-up " + warmUpIterations + ", total "
          + totalIterations);
    }
  }

  /** The schedule for whole epochs of {@code iterationsPerEpoch} iterations. */
  public static LrSchedule ofEpochs(double base, int warmUpEpochs, int epochs,
      int iterationsPerEpoch) {
    return new LrSchedule(base, Math.min(warmUpEpochs, epochs) * iterationsPerEpoch,
        Math.max(1, epochs * iterationsPerEpoch));
  }

  /**
   * The learning rate of 0-based iteration {@code t}; iterations past the end keep the final
   * rate.
   */
  public double rate(long t) {
    if (t < warmUpIterations) {
      double start = base * WARM_UP_START;
      return start + (base - start) * t / warmUpIterations;
    }
    int decay = totalIterations - warmUpIterations;
    double progress = decay <= 1 ? 1.0 : Math.min(1.0, (double) (t - warmUpIterations) / (decay - 1));
    double end = base * FINAL;
    return end + (base - end) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }
}
