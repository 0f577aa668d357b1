package org.ttcspark.metrics.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.metrics.MetricsConfig;
import org.ttcspark.metrics.RepresentationMetrics;
import org.ttcspark.metrics.StackLayout;
import org.ttcspark.metrics.StackedRow;
import org.ttcspark.platform.MemoryPeaks;

/**
 * {@code ttc metrics --bench N}: the metrics over N synthetic 128-d embeddings (N/2 samples in
 * two views, 5 % minority), generated on the executors from a seed, timing the whole job and
 * reading the peak heap of the driver JVM and of the JVMs that ran the scan tasks.
 */
public final class MetricsBenchmark {
  /** Dimension of the synthetic embeddings (the projection size). */
  public static final int DIM = 128;

  private MetricsBenchmark() {}

  /**
   * The benchmark's outcome.
   *
   * @param rows N
   * @param seconds wall time of the metrics job (generation included, it is negligible)
   * @param driverPeakBytes peak heap of the driver JVM during the job
   * @param executorPeakBytes the largest heap in use seen at the end of a scan task, over the
   *     executor JVMs (in local mode the driver's JVM, so it includes the driver)
   * @param metrics what was measured
   */
  public record Result(int rows, double seconds, long driverPeakBytes, long executorPeakBytes,
      RepresentationMetrics metrics) {}

  /** Runs the metrics over {@code rows} synthetic embeddings. */
  public static Result run(SparkSession spark, int rows, long seed, MetricsConfig config,
      String scratch) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    StackLayout layout = config.layout(rows, 2);
    int slices = config.partitions() > 0 ? config.partitions() : jsc.defaultParallelism();
    JavaRDD<StackedRow> data = jsc.parallelize(IntStream.range(0, slices).boxed().toList(),
        slices).flatMap(p -> IntStream.range(0, rows).filter(r -> r % slices == p)
            .mapToObj(r -> synthetic(r, layout.samples(), seed)).iterator());
    MemoryPeaks.reset();
    long start = System.nanoTime();
    RepresentationMetrics m = DistributedMetrics.compute(data, layout, config.blockSize(),
        config.partitions(), scratch, "synthetic benchmark");
    double seconds = (System.nanoTime() - start) / 1e9;
    long driverPeak = MemoryPeaks.heapBytes();
    long executorPeak = jsc.parallelize(IntStream.range(0, slices).boxed().toList(), slices)
        .map(i -> MemoryPeaks.heapBytes()).reduce(Math::max);
    return new Result(rows, seconds, driverPeak, executorPeak, m);
  }

  /** Row {@code r}: a class direction plus a per-sample offset plus a per-view jitter. */
  static StackedRow synthetic(int r, int samples, long seed) {
    int sample = r % samples;
    int label = sample % 20 == 0 ? 1 : 0;
    Random perSample = new Random(seed * 31 + sample);
    Random perRow = new Random(seed * 131 + r);
    float[] x = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      double classDirection = d == label ? 2.0 : 0.0;
      x[d] = (float) (classDirection + perSample.nextGaussian() + 0.3 * perRow.nextGaussian());
    }
    return new StackedRow(r, label, null, x);
  }

  /** Seconds since this JVM started: the whole command's time so far, start-up included. */
  public static double secondsSinceJvmStart() {
    return (System.currentTimeMillis()
        - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
  }

  /** This process's peak resident set (VmHWM of /proc/self/status), or null off Linux. */
  public static Long peakResidentBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(
          java.nio.file.Paths.get("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: reported as unknown
    }
    return null;
  }
}
