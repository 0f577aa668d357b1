package org.ttcspark.train.scaling;

import org.ttcspark.train.AllReduce;

/**
 * BigDL's all-reduce of the parameter vector ({@code AllReduceParameter}) per iteration, seen
 * from one executor: every executor fetches the N - 1 weight slices it does not own and its
 * slice of every other executor's gradient, {@link AllReduce#bytesPerExecutor} bytes in and as
 * many out, through Spark's block manager, {@code parallelFetches} blocks at a time (BigDL's
 * {@code bigdl.Parameter.syncPoolSize}). Around the transfer each executor converts the whole
 * vector locally (compress the gradient into N blocks, decompress N weight blocks, sum N
 * gradient blocks, compress its weight slice): a cost that does not depend on N and is paid
 * even by one executor, measured as {@code localSeconds}.
 *
 * @param parameters P
 * @param bytesPerValue 2 for fp16 (DistriOptimizer's default), 4 for fp32
 * @param localSeconds the local conversion cost per iteration (measured with one executor)
 * @param blockLatencySeconds round trip of one remote block fetch (location look-up at the
 *     driver and the transfer's start)
 * @param parallelFetches block fetches in flight per executor
 */
public record Exchange(long parameters, int bytesPerValue, double localSeconds,
    double blockLatencySeconds, int parallelFetches) {
  public Exchange {
    if (parameters < 1 || bytesPerValue < 1 || !(localSeconds >= 0)
        || !(blockLatencySeconds >= 0) || parallelFetches < 1) {
      throw new IllegalArgumentException("an exchange needs parameters >= 1, bytes per value "
          + ">= 1, local and latency seconds >= 0 and parallel fetches >= 1, found "
          + parameters + ", " + bytesPerValue + ", " + localSeconds + ", "
          + blockLatencySeconds + ", " + parallelFetches);
    }
  }

  /** Bytes one executor receives (and sends) per iteration on {@code executors}. */
  public long bytesPerExecutor(int executors) {
    return AllReduce.bytesPerExecutor(parameters, executors, bytesPerValue);
  }

  /**
   * Seconds per iteration on {@code executors}, each on its own full-duplex link of
   * {@code bitsPerSecond}: the local conversion, the bytes in at link speed, and one latency per
   * round of {@code parallelFetches} remote blocks, twice (weights, then gradients).
   */
  public double seconds(int executors, double bitsPerSecond) {
    if (executors < 1 || !(bitsPerSecond > 0)) {
      throw new IllegalArgumentException("executors must be >= 1 and bandwidth > 0, found "
          + executors + " and " + bitsPerSecond + " bit/s");
    }
    int remote = executors - 1;
    long rounds = (remote + parallelFetches - 1) / parallelFetches;
    return localSeconds + transferSeconds(executors, bitsPerSecond)
        + 2 * rounds * blockLatencySeconds;
  }

  /**
   * The link speed that explains an exchange measured on {@code executors} in {@code seconds}:
   * the inverse of {@link #seconds}, for calibrating the model on a cluster at hand (on the
   * loopback cluster the "network" is CPU time spent copying). Infinite when the measured
   * time does not exceed the local cost and latency.
   */
  public double linkBitsPerSecond(int executors, double seconds) {
    if (executors < 2) {
      throw new IllegalArgumentException("a link speed needs an exchange over at least 2 "
          + "executors, not " + executors);
    }
    double transfer = seconds - this.seconds(executors, Double.POSITIVE_INFINITY);
    return transfer > 0 ? 8.0 * bytesPerExecutor(executors) / transfer
        : Double.POSITIVE_INFINITY;
  }

  /** The bytes-over-bandwidth part of {@link #seconds} alone. */
  public double transferSeconds(int executors, double bitsPerSecond) {
    return 8.0 * bytesPerExecutor(executors) / bitsPerSecond;
  }
}
