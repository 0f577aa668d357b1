package org.ttcspark.train.bigdl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import com.intel.analytics.bigdl.utils.Engine$;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.SliceLoss;
import org.ttcspark.train.scaling.ComputeFit;
import org.ttcspark.train.scaling.Exchange;
import org.ttcspark.train.scaling.IterationModel;
import org.ttcspark.train.scaling.Scheduling;

/**
 * Measures the terms of {@link IterationModel} on the running Spark context with the existing
 * benches: the bare step ({@link Bench#synthetic}) at two batch sizes, on every executor at
 * once, for the compute fit; BigDL's all-reduce on one partition ({@link AllReduceBench}) for
 * the exchange's local conversion cost; empty jobs of 1 and of K tasks for Spark's cost per job
 * and per task; and global scope's loss over the whole batch as the driver computes it
 * ({@link SliceLoss}). Only the network is not measured: its bandwidth and latency are given.
 */
public final class ScalingBench {
  private ScalingBench() {}

  /**
   * What was measured, every time in seconds.
   *
   * @param parameters P
   * @param smallBatch the smaller compute batch (samples)
   * @param smallStep seconds per bare step at {@code smallBatch}
   * @param largeBatch the larger one
   * @param largeStep seconds per bare step at {@code largeBatch}
   * @param computeExecutors the executors that timed the bare step at once (the slowest counts)
   * @param fp16 the all-reduce on one partition with fp16 values
   * @param fp32 the same with fp32 values
   * @param spread the fp16 all-reduce over all {@code computeExecutors}, null with one
   * @param oneTaskJob an empty job of one task
   * @param manyTasks K
   * @param manyTaskJob an empty job of K tasks
   * @param driverLoss SupCon over the whole batch of {@code batch} samples on the driver
   * @param parallelFetches BigDL's block fetches in flight ({@code bigdl.Parameter.syncPoolSize})
   */
  public record Terms(long parameters, int smallBatch, double smallStep, int largeBatch,
      double largeStep, int computeExecutors, AllReduceBench.Result fp16,
      AllReduceBench.Result fp32, AllReduceBench.Result spread, double oneTaskJob,
      int manyTasks, double manyTaskJob, double driverLoss, int parallelFetches) {
    /** The compute line through the two steps. */
    public ComputeFit compute() {
      return ComputeFit.through(smallBatch, smallStep, largeBatch, largeStep);
    }

    /**
     * Spark's cost per task from the two empty jobs' difference, and per job the one-task
     * job less that task. (The all-reduce bench's wall time beyond its phases is no measure of
     * it: its tasks also fill and check the whole vector.)
     */
    public Scheduling scheduling() {
      double perTask = Math.max(0, (manyTaskJob - oneTaskJob) / (manyTasks - 1));
      return new Scheduling(Math.max(0, oneTaskJob - perTask), perTask);
    }

    /** The exchange in {@code precision} ({@code fp16} or {@code fp32}). */
    public Exchange exchange(String precision, double blockLatencySeconds) {
      boolean half = precision.equals("fp16");
      return new Exchange(parameters, half ? 2 : 4, phases(half ? fp16 : fp32),
          blockLatencySeconds, parallelFetches);
    }

    /** The all-reduce's own work on one partition: its local conversion cost. */
    public static double phases(AllReduceBench.Result r) {
      return r.getWeights() + r.putGradients() + r.aggregateGradients() + r.sendWeights();
    }
  }

  /**
   * Measures every term for {@code model} on {@code channels × size × size} inputs.
   *
   * @param executors the executors to measure on at once (one task each): the cluster's
   *     model partitions; with 2 or more the all-reduce over them is timed too
   * @param smallBatch the smaller per-executor batch of the compute fit (samples)
   * @param largeBatch the larger one
   * @param batch the global batch whose loss the driver computes in global scope
   * @param manyTasks K, the task count of the second empty job (at least 2)
   */
  public static Terms measure(JavaSparkContext sc, ModelConfig model, int channels, int size,
      int executors, int smallBatch, int largeBatch, int batch, int manyTasks, int warmUp,
      int iterations, long seed) {
    if (manyTasks < 2) {
      throw new IllegalArgumentException("the per-task cost needs a job of at least 2 tasks, "
          + "not " + manyTasks);
    }
    double[] steps = computeOnExecutors(sc, model, channels, size, executors, smallBatch,
        largeBatch, warmUp, iterations, seed);
    int p = Math.toIntExact((long) steps[2]);
    AllReduceBench.Result fp16 = AllReduceBench.run(sc, p, 1, warmUp, iterations, "fp16");
    AllReduceBench.Result fp32 = AllReduceBench.run(sc, p, 1, warmUp, iterations, "fp32");
    double one = emptyJob(sc, 1, warmUp, iterations);
    double many = emptyJob(sc, manyTasks, warmUp, iterations);
    AllReduceBench.Result spread = executors < 2 ? null
        : AllReduceBench.run(sc, p, executors, warmUp, iterations, "fp16");
    double loss = driverLoss(batch, model.projectionDim(), warmUp, iterations, seed);
    int fetches = Integer.parseInt(System.getProperty("bigdl.Parameter.syncPoolSize", "4"));
    return new Terms(p, smallBatch, steps[0], largeBatch, steps[1], (int) steps[3], fp16,
        fp32, spread, one, manyTasks, many, loss, fetches);
  }

  /**
   * The bare step at both batch sizes on every executor at once, one task each, so that what
   * executors sharing a host take from each other is in the figure (on the loopback cluster
   * two one-core executors, the driver and the master share two vCPUs); in local mode the one
   * task runs in this JVM.
   *
   * @return the slowest executor's seconds per step at the small and at the large batch (an
   *     iteration waits for the last one), the parameter count and the executors measured
   */
  private static double[] computeOnExecutors(JavaSparkContext sc, ModelConfig model,
      int channels, int size, int executors, int smallBatch, int largeBatch, int warmUp,
      int iterations, long seed) {
    int nodes = Engine$.MODULE$.nodeNumber();
    int cores = Engine$.MODULE$.coreNumber();
    // ModelConfig is not serialisable; its parts are
    Backbone backbone = model.backbone();
    Stem stem = model.stem();
    int width = model.width();
    int dim = model.projectionDim();
    boolean normalize = model.normalize();
    List<double[]> steps = sc.parallelize(IntStream.range(0, executors).boxed().toList(),
        executors).mapPartitions(it -> {
          Engine$.MODULE$.setNodeAndCore(nodes, cores);
          ModelConfig m = new ModelConfig(backbone, stem, width, dim, normalize);
          Bench.Result small = Bench.synthetic(m, channels, size, smallBatch, warmUp,
              iterations, seed);
          Bench.Result large = Bench.synthetic(m, channels, size, largeBatch, warmUp,
              iterations, seed);
          return List.of(new double[] {small.seconds() / iterations,
              large.seconds() / iterations, large.parameters()}).iterator();
        }).collect();
    double small = steps.stream().mapToDouble(r -> r[0]).max().orElseThrow();
    double large = steps.stream().mapToDouble(r -> r[1]).max().orElseThrow();
    return new double[] {small, large, steps.get(0)[2], steps.size()};
  }

  /** Mean wall seconds of a job doing nothing over {@code tasks} cached partitions. */
  private static double emptyJob(JavaSparkContext sc, int tasks, int warmUp, int iterations) {
    JavaRDD<Integer> slots = sc.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
        .persist(StorageLevel.MEMORY_ONLY());
    try {
      slots.count();
      double sum = 0;
      for (int i = 0; i < warmUp + iterations; i++) {
        long start = System.nanoTime();
        slots.foreachPartition(it -> { });
        if (i >= warmUp) {
          sum += (System.nanoTime() - start) / 1e9;
        }
      }
      return sum / iterations;
    } finally {
      slots.unpersist(false);
    }
  }

  /**
   * Mean seconds of the global scope's loss step on the driver: SupCon (the bare step's loss)
   * over {@code batch} samples × 2 views of unit {@code dim}-vectors, with the gradient of
   * every row.
   */
  static double driverLoss(int batch, int dim, int warmUp, int iterations, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] z = new float[2 * batch * dim];
    for (int row = 0; row < 2 * batch; row++) {
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        z[row * dim + j] = (float) rng.nextGaussian();
        norm += z[row * dim + j] * z[row * dim + j];
      }
      for (int j = 0; j < dim; j++) {
        z[row * dim + j] /= (float) Math.sqrt(norm);
      }
    }
    int[] labels = new int[batch];
    int[] clusters = new int[batch];
    long[] keys = new long[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = i % 2;
      clusters[i] = -1;
      keys[i] = i;
    }
    List<SliceLoss.Slice> slices = new ArrayList<>();
    slices.add(new SliceLoss.Slice(z, labels, clusters, keys));
    SupConLoss loss = SupConLoss.supcon(0.07, 0.07);
    double sum = 0;
    for (int i = 0; i < warmUp + iterations; i++) {
      long start = System.nanoTime();
      SliceLoss.evaluate(LossScope.GLOBAL, loss, slices, 2, dim, seed + i);
      if (i >= warmUp) {
        sum += (System.nanoTime() - start) / 1e9;
      }
    }
    return sum / iterations;
  }
}
