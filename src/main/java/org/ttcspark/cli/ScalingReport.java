package org.ttcspark.cli;

import java.io.PrintStream;
import java.util.List;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.bigdl.AllReduceBench;
import org.ttcspark.train.bigdl.ScalingBench;
import org.ttcspark.train.scaling.ComputeFit;
import org.ttcspark.train.scaling.Exchange;
import org.ttcspark.train.scaling.IterationModel;
import org.ttcspark.train.scaling.ScalingConfig;
import org.ttcspark.train.scaling.Scheduling;

/**
 * Prints {@code ttc bench --mode scaling}: the measured terms, then the predicted iteration,
 * images/s and efficiency for every executor count, local scope then global scope.
 */
final class ScalingReport {
  private ScalingReport() {}

  /**
   * @param what the model, input and engine in words
   * @param batch the global batch B in samples
   * @param globalPrecision how global scope exchanges ({@code train.global.precision})
   * @param measured the measured terms (mean of {@code iterations} after {@code warmUp})
   * @param cfg network and executor counts
   */
  static void print(PrintStream out, String what, int batch, String globalPrecision,
      ScalingBench.Terms measured, ScalingConfig cfg, int warmUp, int iterations,
      int projectionDim) {
    ComputeFit compute = measured.compute();
    Scheduling scheduling = measured.scheduling();
    out.printf("bench scaling %s, %d parameters; terms measured here (mean of %d after %d "
        + "warm-up):%n", what, measured.parameters(), iterations, warmUp);
    out.printf("  compute: bare step %.4f s at %d samples, %.4f s at %d (slowest of %d "
        + "executor(s) at once) -> %.4f s fixed + %.5f s per sample%n", measured.smallStep(),
        measured.smallBatch(), measured.largeStep(), measured.largeBatch(),
        measured.computeExecutors(), compute.fixedSeconds(), compute.perSampleSeconds());
    if (ComputeFit.noisy(measured.smallStep(), measured.largeStep())) {
      out.printf("  WARNING: the step of %d samples was not slower than the one of %d: the "
          + "timings are noise, so all compute is read as per sample (pessimistic); measure on "
          + "a quieter machine, with more train.bench.iterations or with "
          + "train.bench.scaling.compute-batches further apart%n", measured.largeBatch(),
          measured.smallBatch());
    }
    out.printf("  exchange, local conversion of the vector per iteration: fp16 %.4f s (%s), "
        + "fp32 %.4f s (%s)%n", ScalingBench.Terms.phases(measured.fp16()),
        phases(measured.fp16()), ScalingBench.Terms.phases(measured.fp32()),
        phases(measured.fp32()));
    out.printf("  scheduling: empty job of 1 task %.4f s, of %d tasks %.4f s -> %.4f s per job "
        + "+ %.5f s per task; %d jobs per iteration in local scope, %d in global (1 on one "
        + "executor in fp32)%n",
        measured.oneTaskJob(), measured.manyTasks(), measured.manyTaskJob(),
        scheduling.perJobSeconds(), scheduling.perTaskSeconds(), IterationModel.LOCAL_JOBS,
        IterationModel.GLOBAL_JOBS);
    out.printf("  driver (global scope): loss over %d samples x 2 views %.4f s%n", batch,
        measured.driverLoss());
    out.printf("  network (given): %.3g Gbit/s per executor, %.3g ms per round of %d block "
        + "fetches%n", cfg.bandwidthGbps(), cfg.blockLatencyMs(), measured.parallelFetches());
    Exchange fp16 = measured.exchange("fp16", cfg.blockLatencySeconds());
    if (measured.spread() != null) {
      int n = measured.spread().partitions();
      double seconds = ScalingBench.Terms.phases(measured.spread());
      double link = fp16.linkBitsPerSecond(n, seconds);
      out.printf("  exchange over the %d executors here: %.4f s per iteration (fp16, %.1f MB in "
          + "and out of each; %s): %s%n", n, seconds, fp16.bytesPerExecutor(n) / 1e6,
          phases(measured.spread()), Double.isInfinite(link)
              ? "no longer than the local conversion and latency"
              : String.format("%.3g Gbit/s effective after the local conversion and latency; "
                  + "--bandwidth %.3g predicts this cluster", link / 1e9, link / 1e9));
    }
    Exchange global = measured.exchange(globalPrecision, cfg.blockLatencySeconds());
    List<IterationModel> models = List.of(
        IterationModel.local(batch, 2, compute, fp16, scheduling),
        IterationModel.global(batch, 2, compute, global, scheduling, measured.driverLoss(),
            projectionDim));
    out.printf("predicted, global batch %d, %.3g Gbit/s (local scope exchanges fp16, global %s):"
        + "%n", batch, cfg.bandwidthGbps(), globalPrecision);
    out.printf("%-6s %5s %9s %10s %9s %9s %10s %8s %10s %9s %10s %-10s%n", "scope",
        "N", "samples/N", "MB in/out", "compute", "exchange", "scheduling", "driver",
        "iteration", "images/s", "efficiency", "largest");
    for (IterationModel m : models) {
      for (IterationModel.Prediction p : m.table(cfg.executors(), cfg.bitsPerSecond())) {
        out.printf("%-6s %5d %9d %10.1f %8.3fs %8.3fs %9.3fs %7.3fs %9.3fs %9.1f %9.0f%% %-10s%n",
            m.scope().name().toLowerCase(), p.executors(), p.samplesPerExecutor(),
            m.exchange().bytesPerExecutor(p.executors()) / 1e6, p.computeSeconds(),
            p.exchangeSeconds(), p.schedulingSeconds(), p.driverSeconds(),
            p.iterationSeconds(), p.imagesPerSecond(), 100 * p.efficiency(), p.dominant());
      }
    }
    if (measured.spread() != null) {
      int n = measured.spread().partitions();
      double link = fp16.linkBitsPerSecond(n, ScalingBench.Terms.phases(measured.spread()));
      for (IterationModel m : models) {
        if (m.splits(n) && !Double.isInfinite(link)) {
          IterationModel.Prediction p = m.predict(n, link);
          out.printf("this cluster, %s scope: %d executors at the %.3g Gbit/s effective link: "
              + "%.3f s per iteration, %.1f images/s predicted (compare ttc bench --mode dataset "
              + "--scopes %s here)%n", m.scope().name().toLowerCase(), n, link / 1e9,
              p.iterationSeconds(), p.imagesPerSecond(), m.scope().name().toLowerCase());
        }
      }
    }
    for (IterationModel m : models) {
      List<Integer> left = cfg.executors().stream().filter(n -> !m.splits(n)).toList();
      if (!left.isEmpty()) {
        out.printf("left out in %s scope: %s executors (a batch of %d does not split evenly "
            + "over them%s; raise train.batch-size)%n", m.scope().name().toLowerCase(), left,
            batch, m.scope() == LossScope.LOCAL ? " with 2 samples or more each" : "");
      }
    }
  }

  private static String phases(AllReduceBench.Result r) {
    return String.format("get weights %.4f, put gradients %.4f, aggregate %.4f, send weights "
        + "%.4f", r.getWeights(), r.putGradients(), r.aggregateGradients(), r.sendWeights());
  }
}
