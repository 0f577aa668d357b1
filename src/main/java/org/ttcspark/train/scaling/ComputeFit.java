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
   * faster, which timing noise can give) is taken as 0 with the slope through the larger
   * batch, i.e. all compute per sample: the pessimistic reading for scaling.
   *
   * @param small the smaller batch in samples
   * @param smallSeconds seconds per step at {@code small}
   * @param large the larger batch in samples
   * @param largeSeconds seconds per step at {@code large}
   * @throws IllegalArgumentException if the batches are not {@code 0 < small < large}, a time is
   *     not positive, or the larger batch was not slower (no per-sample cost to fit: rerun on a
   *     quiet machine or with batches further apart)
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
    if (largeSeconds <= smallSeconds) {
      throw new IllegalArgumentException("a step of " + large + " samples took " + largeSeconds
          + " s, no longer than one of " + small + " (" + smallSeconds + " s): the timings are "
          + "noise; measure on a quieter machine, with more train.bench.iterations or with "
          + "train.bench.scaling.compute-batches further apart");
    }
    double slope = (largeSeconds - smallSeconds) / (large - small);
    double intercept = largeSeconds - slope * large;
    return intercept >= 0 ? new ComputeFit(intercept, slope)
        : new ComputeFit(0, largeSeconds / large);
  }

  /** Seconds for one step of {@code samples} samples (may be fractional: a mean share). */
  public double seconds(double samples) {
    return fixedSeconds + perSampleSeconds * samples;
  }
}
