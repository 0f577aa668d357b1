package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.parameters.AllReduceParameter;
import com.intel.analytics.bigdl.parameters.AllReduceParameter$;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.platform.Bigdl;

/**
 * Times BigDL's all-reduce alone, without a model: the {@code AllReduceParameter} that
 * DistriOptimizer uses, for a parameter vector of a given size over N partitions (one per
 * executor), driven by the same two Spark jobs per iteration as the optimiser: job 1 fetches
 * the weights and publishes the gradient slices, job 2 fetches and sums this partition's
 * gradient slices and publishes the updated weight slice. fp16 compression, as in training
 * (fp32 on request, as the global scope's exact exchange).
 *
 * <p>Every iteration partition p publishes a gradient of all {@code p + 1}; the averaged
 * gradient every partition receives must then be {@code (N + 1) / 2} everywhere, which the
 * bench checks, so a number is only reported for an all-reduce that worked.
 */
public final class AllReduceBench {
  /** Per-JVM buffers of full parameter length (weights, gradient), reused across iterations. */
  private static final Map<String, Tensor<Object>> BUFFERS = new ConcurrentHashMap<>();

  private AllReduceBench() {}

  /**
   * Mean seconds per iteration, averaged over partitions and measured iterations.
   *
   * @param parameters the vector length P
   * @param partitions N
   * @param getWeights fetching all N weight slices into the local copy (job 1)
   * @param putGradients compressing the local gradient into N slices (job 1, no network)
   * @param aggregateGradients fetching and summing this partition's N gradient slices (job 2)
   * @param sendWeights compressing the partition's weight slice for the others (job 2)
   * @param iteration wall time of both jobs seen from the driver, scheduling included
   */
  public record Result(long parameters, int partitions, double getWeights, double putGradients,
      double aggregateGradients, double sendWeights, double iteration) {}

  /**
   * Runs {@code warmUp + iterations} all-reduce rounds of a {@code parameters}-long vector over
   * {@code partitions} partitions.
   *
   * @throws IllegalStateException if the averaged gradient is not the expected value
   */
  public static Result run(JavaSparkContext sc, int parameters, int partitions, int warmUp,
      int iterations) {
    return run(sc, parameters, partitions, warmUp, iterations, "fp16");
  }

  /**
   * As {@link #run(JavaSparkContext, int, int, int, int)} with the values travelling as
   * {@code compress} says: {@code fp16} (DistriOptimizer's default) or {@code fp32} (the global
   * scope's exact exchange).
   */
  public static Result run(JavaSparkContext sc, int parameters, int partitions, int warmUp,
      int iterations, String compress) {
    if (!compress.equals("fp16") && !compress.equals("fp32")) {
      throw new IllegalArgumentException("compress must be fp16 or fp32, not " + compress);
    }
    int nodes = Engine$.MODULE$.nodeNumber();
    int cores = Engine$.MODULE$.coreNumber();
    AllReduceParameter<Object> p = AllReduceParameter$.MODULE$.newParameter(partitions,
        parameters, 1, compress.equals("fp16") ? "fp16" : "none", Bigdl.FLOAT, Bigdl.NUMERIC);
    // Cached so that every later job runs partition i where its slices live (as the optimiser's
    // cached models do).
    JavaRDD<Integer> slots = sc.parallelize(IntStream.range(0, partitions).boxed().toList(),
        partitions).persist(StorageLevel.MEMORY_ONLY());
    slots.foreachPartition(it -> {
      Engine$.MODULE$.setNodeAndCore(nodes, cores);
      p.init(buffer("w", parameters), Bigdl.NUMERIC);
    });
    double[] sums = new double[5];
    try {
      for (int i = 0; i < warmUp + iterations; i++) {
        long start = System.nanoTime();
        List<double[]> first = slots.mapPartitions(it -> once(() -> {
          Engine$.MODULE$.setNodeAndCore(nodes, cores);
          Tensor<Object> gradient = buffer("g", parameters);
          gradient.fill(TaskContext.getPartitionId() + 1.0f);
          long t0 = System.nanoTime();
          p.getWeights(buffer("w", parameters)).waitResult();
          long t1 = System.nanoTime();
          p.putGradients(gradient);
          return new double[] {(t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9};
        })).collect();
        List<double[]> second = slots.mapPartitions(it -> once(() -> {
          long t0 = System.nanoTime();
          p.aggregateGradientPartition(partitions);
          long t1 = System.nanoTime();
          p.sendWeightPartition();
          long t2 = System.nanoTime();
          checkAverage(p.gradientPartition(), partitions);
          return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
        })).collect();
        if (i >= warmUp) {
          sums[0] += mean(first, 0);
          sums[1] += mean(first, 1);
          sums[2] += mean(second, 0);
          sums[3] += mean(second, 1);
          sums[4] += (System.nanoTime() - start) / 1e9;
        }
      }
    } finally {
      slots.foreachPartition(it -> BUFFERS.clear());
      slots.unpersist(false);
    }
    return new Result(parameters, partitions, sums[0] / iterations, sums[1] / iterations,
        sums[2] / iterations, sums[3] / iterations, sums[4] / iterations);
  }

  private static Tensor<Object> buffer(String kind, int length) {
    return BUFFERS.computeIfAbsent(kind + TaskContext.getPartitionId() + ":" + length,
        k -> Bigdl.zeros(length));
  }

  private static void checkAverage(Tensor<Object> gradient, int partitions) {
    float expected = (partitions + 1) / 2.0f;
    float[] values = Bigdl.floats(gradient);
    int offset = gradient.storageOffset() - 1;
    for (int i = 0; i < gradient.nElement(); i++) {
      if (values[offset + i] != expected) {
        throw new IllegalStateException("all-reduce check failed: partition "
            + TaskContext.getPartitionId() + " received " + values[offset + i] + " at " + i
            + " instead of the average " + expected);
      }
    }
  }

  private static double mean(List<double[]> rows, int column) {
    return rows.stream().mapToDouble(r -> r[column]).average().orElse(0);
  }

  private interface Step {
    double[] run();
  }

  private static Iterator<double[]> once(Step step) {
    List<double[]> out = new ArrayList<>(1);
    out.add(step.run());
    return out.iterator();
  }
}
