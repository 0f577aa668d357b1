package org.ttcspark.train.scaling;

/**
 * What Spark costs per job, apart from the work its tasks do: a fixed part (DAG scheduling,
 * closure and broadcast serialisation, the driver waiting for the last result) and a part per
 * task (launch message, deserialisation, status update), which the driver pays for every
 * executor, one after another.
 *
 * @param perJobSeconds the fixed part, at least 0
 * @param perTaskSeconds the part per task, at least 0
 */
public record Scheduling(double perJobSeconds, double perTaskSeconds) {
  public Scheduling {
    if (!(perJobSeconds >= 0) || !(perTaskSeconds >= 0)) {
      throw new IllegalArgumentException("scheduling costs must be >= 0, found "
          + perJobSeconds + " s per job and " + perTaskSeconds + " s per task");
    }
  }

  /** Seconds of one job with one task on each of {@code executors}. */
  public double jobSeconds(int executors) {
    return perJobSeconds + perTaskSeconds * executors;
  }
}
