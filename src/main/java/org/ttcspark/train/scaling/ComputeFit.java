package org.ttcspark.train.scaling;

/**
 * One executor's compute time for a batch of b samples, {@code t(b) = a + c·b}: a fixed part
 * per step (kernel launches, the optimiser's pass over the weights, MKL-DNN's per-call cost)
 * that does not shrink when the batch is cut over more executors, and a per-sample part that
 * does. Separating them is what makes the extrapolation to small per-executor batches honest.
 *
 * @param fixedSeconds a, seconds per step whatever the batch (at least 0)
 * @param perSampleSeconds c, seconds per sample (both views of it), above 0
 */
public record ComputeFit(double fixedSeconds, double perSampleSeconds) {
  public ComputeFit {
    if (!(fixedSeconds >= 0) || !(perSampleSeconds > 0) || Double.isInfinite(fixedSeconds)
        || Double.isInfinite(perSampleSeconds)) {
      throw new IllegalArgumentException("a compute fit needs a fixed time >= 0 and a per-sample "
          + "time > 0, found " + fixedSeconds + " s and " + perSampleSeconds + " s");
    }
  }

  /**
   * The line through two measured steps. A negative intercept (the smaller batch relatively
   * faster) or a larger batch that was not slower, both of which timing noise can give, is
   * read as all compute per sample through the larger batch: the pessimistic reading for
   * scaling ({@link #noisy} tells the caller to say so).
   *
   * @param small the smaller batch in samples
   * @param smallSeconds seconds per step at {@code small}
   * @param large the larger batch in samples
   * @param largeSeconds seconds per step at {@code large}
   * @throws IllegalArgumentException if the batches are not {@code 0 < small < large} or a
   *     time is not positive
   */
  public static ComputeFit through(int small, double smallSeconds, int large,
      double largeSeconds) {
    if (small < 1 || large <= small) {
      throw new IllegalArgumentException("the two fit batches must satisfy 0 < small < large, "
          + "found " + small + " and " + large);
    }
    if (!(smallSeconds > 0) || !(largeSeconds > 0)) {
      throw new IllegalArgumentException("step times must be positive, found " + smallSeconds
          + " s and " + largeSeconds + " s");
    }
    if (noisy(smallSeconds, largeSeconds)) {
      return new ComputeFit(0, largeSeconds / large);
    }
    double slope = (largeSeconds - smallSeconds) / (large - small);
    double intercept = largeSeconds - slope * large;
    return intercept >= 0 ? new ComputeFit(intercept, slope)
        : new ComputeFit(0, largeSeconds / large);
  }

  /**
   * Whether the larger batch was not slower than the smaller: the timings are noise, and the
   * fit falls back to all compute per sample.
   */
  public static boolean noisy(double smallSeconds, double largeSeconds) {
    return largeSeconds <= smallSeconds;
  }

  /** Seconds for one step of {@code samples} samples (may be fractional: a mean share). */
  public double seconds(double samples) {
    return fixedSeconds + perSampleSeconds * samples;
  }
}
