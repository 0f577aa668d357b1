package org.ttcspark.train;

/**
 * What BigDL's all-reduce moves per iteration, for planning a cluster (README, "Scaling").
 *
 * <p>DistriOptimizer cuts the parameter vector of P floats into N slices, one per executor
 * (model partition). Every iteration each executor (1) fetches the N - 1 weight slices it does
 * not own, (2) cuts its gradient into N slices and (3) fetches its own slice of every other
 * executor's gradient, sums them and updates its weight slice. Weights and gradients travel
 * fp16-compressed (DistriOptimizer's default {@code compress = "fp16"}), 2 bytes per value. So
 * every executor receives {@code 2 * 2 * P * (N - 1) / N} bytes per iteration and sends as
 * many, whatever the batch size; one executor moves nothing over the network.
 */
public final class AllReduce {
  /** Bytes per value on the wire (fp16). */
  public static final int BYTES_PER_VALUE = 2;

  private AllReduce() {}

  /**
   * Bytes one executor receives per iteration (and sends: the exchange is symmetric).
   *
   * @param parameters P, the model's parameter count
   * @param executors N, the model partitions (executors), at least 1
   */
  public static long bytesPerExecutor(long parameters, int executors) {
    return bytesPerExecutor(parameters, executors, BYTES_PER_VALUE);
  }

  /**
   * As {@link #bytesPerExecutor(long, int)} for another precision on the wire: 2 (fp16,
   * DistriOptimizer's default) or 4 (fp32, the global scope's exact exchange).
   */
  public static long bytesPerExecutor(long parameters, int executors, int bytesPerValue) {
    if (parameters < 0 || executors < 1 || bytesPerValue < 1) {
      throw new IllegalArgumentException("parameters must be >= 0, executors >= 1 and bytes "
          + "per value >= 1, found " + parameters + ", " + executors + " and " + bytesPerValue);
    }
    // Weights in and gradient slices in: two exchanges of the (N - 1) / N foreign share.
    return 2L * bytesPerValue * parameters * (executors - 1) / executors;
  }
}
