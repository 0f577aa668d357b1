package org.ttcspark.train.scaling;

import java.util.ArrayList;
import java.util.List;
import org.ttcspark.train.LossScope;

/**
 * One iteration of synchronous data-parallel training of a global batch of B samples on N
 * executors, one model copy each, as the sum of its parts (they run one after another: every
 * executor waits for the all-reduce, the driver waits for the slowest task):
 *
 * <pre>
 *   T(N) = compute(B / N) + exchange(N) + jobs · job(N) + driver(N)
 * </pre>
 *
 * <p>{@code jobs} is the scope's Spark jobs per iteration: 2 in local scope (DistriOptimizer:
 * forward-backward with the weights fetch and gradient put, then aggregate-update-send) and 3
 * in global scope ({@code GlobalStep}: forward, backward, update). {@code driver} is global
 * scope's loss over the whole batch on the driver plus its projections in and their gradients
 * out through the driver's link; 0 in local scope. Global scope on one executor in fp32 is one
 * job with nothing exchanged ({@code GlobalStep.iterate}: the lone slice computes the loss and
 * updates its own vectors), so its N = 1 has one job, no exchange and no transfer to the
 * driver, only the loss.
 *
 * <p>Throughput counts both views of a sample, as every {@code ttc bench} figure does;
 * efficiency is throughput over N times the one-executor throughput of the same model.
 *
 * @param scope the loss scope this models
 * @param batch B, the global batch in samples
 * @param views views per sample (images per sample in the throughput)
 * @param compute one executor's step time
 * @param exchange the all-reduce
 * @param scheduling one Spark job's cost
 * @param jobs Spark jobs per iteration
 * @param driverSeconds the loss on the driver (global scope; 0 otherwise)
 * @param driverBytes bytes through the driver per iteration (projections in, gradients out)
 */
public record IterationModel(LossScope scope, int batch, int views, ComputeFit compute,
    Exchange exchange, Scheduling scheduling, int jobs, double driverSeconds, long driverBytes) {
  /** DistriOptimizer's jobs per iteration: train (zipPartitions.reduce), update (count). */
  public static final int LOCAL_JOBS = 2;
  /** The global step's jobs per iteration: forward, backward, update. */
  public static final int GLOBAL_JOBS = 3;

  public IterationModel {
    if (batch < 1 || views < 1 || jobs < 1 || !(driverSeconds >= 0) || driverBytes < 0) {
      throw new IllegalArgumentException("an iteration needs batch, views and jobs >= 1 and "
          + "driver costs >= 0, found " + batch + ", " + views + ", " + jobs + ", "
          + driverSeconds + " s, " + driverBytes + " bytes");
    }
  }

  /** Local scope: DistriOptimizer, the loss inside each executor, nothing on the driver. */
  public static IterationModel local(int batch, int views, ComputeFit compute, Exchange exchange,
      Scheduling scheduling) {
    return new IterationModel(LossScope.LOCAL, batch, views, compute, exchange, scheduling,
        LOCAL_JOBS, 0, 0);
  }

  /**
   * Global scope: the loss on the driver ({@code lossSeconds}, measured at batch B) and
   * {@code projectionDim}-wide float projections of every view to the driver and their
   * gradients back.
   */
  public static IterationModel global(int batch, int views, ComputeFit compute,
      Exchange exchange, Scheduling scheduling, double lossSeconds, int projectionDim) {
    long bytes = 2L * batch * views * projectionDim * Float.BYTES;
    return new IterationModel(LossScope.GLOBAL, batch, views, compute, exchange, scheduling,
        GLOBAL_JOBS, lossSeconds, bytes);
  }

  /**
   * Whether B samples split evenly over {@code executors} (both trainers require it), with at
   * least two per executor in local scope, whose loss runs on each executor's share.
   */
  public boolean splits(int executors) {
    int least = scope == LossScope.LOCAL ? 2 : 1;
    return executors >= 1 && batch % executors == 0 && batch / executors >= least;
  }

  /**
   * The predicted iteration on {@code executors} with links of {@code bitsPerSecond}.
   *
   * @throws IllegalArgumentException if the batch does not split over the executors
   */
  public Prediction predict(int executors, double bitsPerSecond) {
    if (!splits(executors)) {
      throw new IllegalArgumentException("a batch of " + batch + " samples does not split "
          + "evenly over " + executors + " executors" + (scope == LossScope.LOCAL
          ? " with at least 2 samples each (local scope's loss needs two)" : ""));
    }
    double[] t = terms(executors, bitsPerSecond);
    double total = t[0] + t[1] + t[2] + t[3];
    double[] one = terms(1, bitsPerSecond);
    double single = one[0] + one[1] + one[2] + one[3];
    return new Prediction(executors, batch / executors, t[0], t[1], t[2], t[3], total,
        (double) views * batch / total, single / (executors * total));
  }

  /** Predictions for every entry of {@code executors} the batch splits over, in order. */
  public List<Prediction> table(List<Integer> executors, double bitsPerSecond) {
    List<Prediction> out = new ArrayList<>();
    for (int n : executors) {
      if (splits(n)) {
        out.add(predict(n, bitsPerSecond));
      }
    }
    return out;
  }

  /** Compute, exchange, scheduling and driver seconds on {@code executors}. */
  private double[] terms(int executors, double bitsPerSecond) {
    if (alone(executors)) {
      return new double[] {compute.seconds(batch), 0, scheduling.jobSeconds(1), driverSeconds};
    }
    return new double[] {compute.seconds((double) batch / executors),
        exchange.seconds(executors, bitsPerSecond), jobs * scheduling.jobSeconds(executors),
        driverSeconds + 8.0 * driverBytes / bitsPerSecond};
  }

  /** Global scope's lone fp32 slice: one job, nothing exchanged, the loss on the slice. */
  private boolean alone(int executors) {
    return scope == LossScope.GLOBAL && executors == 1 && exchange.bytesPerValue() == 4;
  }

  /**
   * One predicted iteration.
   *
   * @param executors N
   * @param samplesPerExecutor B / N
   * @param computeSeconds one executor's step
   * @param exchangeSeconds the all-reduce
   * @param schedulingSeconds the iteration's Spark jobs
   * @param driverSeconds the driver's loss and transfers (global scope)
   * @param iterationSeconds their sum
   * @param imagesPerSecond views · B / iteration
   * @param efficiency throughput over N times the one-executor throughput
   */
  public record Prediction(int executors, int samplesPerExecutor, double computeSeconds,
      double exchangeSeconds, double schedulingSeconds, double driverSeconds,
      double iterationSeconds, double imagesPerSecond, double efficiency) {
    /** The largest term's name: where cutting time pays at this N. */
    public String dominant() {
      double max = Math.max(Math.max(computeSeconds, exchangeSeconds),
          Math.max(schedulingSeconds, driverSeconds));
      return max == computeSeconds ? "compute" : max == exchangeSeconds ? "exchange"
          : max == schedulingSeconds ? "scheduling" : "driver";
    }
  }
}
