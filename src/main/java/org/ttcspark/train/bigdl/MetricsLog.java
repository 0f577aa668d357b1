package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.optim.Metrics;
import com.intel.analytics.bigdl.optim.Trigger;
import com.intel.analytics.bigdl.utils.Table;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ttcspark.platform.Json;
import org.ttcspark.train.BatchStats;
import org.ttcspark.train.CollapseDetector;
import org.ttcspark.train.OnlineKnn;
import org.ttcspark.train.TrainingDiverged;

/**
 * Per-iteration metrics, hooked into DistriOptimizer as its end trigger: the optimiser asks
 * the trigger on the driver before every iteration, with its state holding the previous
 * iteration's loss, learning rate and throughput. (BigDL's TrainSummary would be the documented
 * hook, but its TensorBoard writer needs an unshaded protobuf 3 that Hadoop's 2.5 shadows.)
 * Writes one JSON line per iteration ({@code iteration, epoch, loss, lr, images_per_s,
 * elapsed_s, iteration_s}, then the phase timings, then {@code batch_mean_cosine,
 * collapsed_loss}: the batch's mean pairwise cosine and the collapsed-batch loss, null when
 * unknown, see {@link BatchStats}) and a readable console line with the ETA. A NaN or infinite
 * loss stops the run. Images per second count both views. Lines of other kinds: validation
 * ({@code epoch, iteration, val_loss, val_samples}), and events marked by an {@code event} key,
 * {@code collapse} ({@code epoch, iteration, loss, collapsed_loss, batch_mean_cosine}, when
 * the {@link CollapseDetector} fires, at most once per epoch) and {@code online_eval}
 * ({@code epoch, iteration, knn_accuracy, knn_balanced_accuracy, knn_auroc,
 * subtype_knn_accuracy, majority_subtype_knn_accuracy, knn_samples}, fractions in [0, 1]);
 * readers of iteration lines skip lines with an {@code event} key.
 *
 * <p>The timings are DistriOptimizer's own per-iteration metrics, averaged over the model
 * partitions: {@code compute_s} is forward + loss + backward; {@code weights_sync_s} is fetching
 * the current weights (every executor gathers the other executors' fp16 slices);
 * {@code gradients_sync_s} is publishing the local gradient in slices plus fetching and summing
 * this executor's slice from every other executor. The rest of {@code iteration_s} is Spark's
 * scheduling of the two jobs per iteration and the SGD update of the local slice. The
 * global-scope trainer logs through {@link #emit} with its own phases instead
 * ({@code forward_s, loss_s, backward_s, update_s}). In both scopes {@code views_s} is the time
 * a task spent getting its batch's views (augmentation, or waiting for the views drawn ahead by
 * {@code train.prefetch-views}), averaged over the iteration's tasks: part of {@code compute_s}
 * or {@code forward_s}; local scope measures it in local mode only (BigDL keeps one copy of the
 * batcher per partition on the executors, out of reach of accumulators).
 */
public final class MetricsLog implements Trigger {
  private static final long serialVersionUID = 1L;
  /** One JSON object per line: the shared mapper without indentation. */
  private static final com.fasterxml.jackson.databind.ObjectWriter LINE = Json.MAPPER.writer()
      .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

  private final transient OutputStream jsonLines;
  private final transient PrintStream console;
  private final int totalIterations;
  private final int batchSize;
  private transient Metrics timings;
  private transient java.util.function.LongSupplier views;
  private transient java.util.function.LongSupplier viewBatches;
  private long viewNanos;
  private long viewTasks;
  private final long started = System.nanoTime();
  private int epoch;
  private int lastNeval = -1;
  private String lastCheckpoint;
  private float lastLoss = Float.NaN;
  private transient CollapseDetector detector;
  private transient BatchStatsCollector collector;

  /**
   * @param jsonLines receives one JSON object per line per iteration (not closed here)
   * @param console receives the readable line
   * @param totalIterations iterations of the whole run, for the ETA
   * @param batchSize global batch in samples, for the iteration time
   */
  public MetricsLog(OutputStream jsonLines, PrintStream console, int totalIterations,
      int batchSize) {
    this.jsonLines = jsonLines;
    this.console = console;
    this.totalIterations = totalIterations;
    this.batchSize = batchSize;
  }

  /** Attaches DistriOptimizer's metrics, whose last iteration's timings then go into each row. */
  public void timings(Metrics metrics) {
    this.timings = metrics;
  }

  /** Watches every logged iteration for collapse ({@code detector} null: not watched). */
  public void watch(CollapseDetector detector) {
    this.detector = detector;
  }

  /**
   * Takes each iteration's batch statistics from {@code collector}: in local scope the
   * executors compute them (in global scope the trainer hands them to {@link #emit} itself).
   */
  public void collectFrom(BatchStatsCollector collector) {
    this.collector = collector;
  }

  /** Sets the epoch the next iterations belong to and the last complete checkpoint. */
  public void epoch(int epoch, String lastCheckpoint) {
    this.epoch = epoch;
    this.lastCheckpoint = lastCheckpoint;
  }

  /** The loss of the last logged iteration (NaN before the first). */
  public float lastLoss() {
    return lastLoss;
  }

  /**
   * Logs the iteration that just finished, if any, then says whether epoch {@code epoch} is
   * done (BigDL's state epoch has moved past it).
   */
  @Override
  public boolean apply(Table state) {
    int neval = ((Number) state.apply("neval")).intValue();
    if (lastNeval >= 0 && neval > lastNeval && state.contains("Loss")
        && state.contains("LearningRate") && state.contains("Throughput")) {
      emit(neval - 1, ((Number) state.apply("Loss")).floatValue(),
          ((Number) state.apply("LearningRate")).doubleValue(),
          ((Number) state.apply("Throughput")).doubleValue(), optimiserTimings(),
          collector == null ? BatchStats.NONE : collector.take());
    }
    lastNeval = neval;
    return ((Number) state.apply("epoch")).intValue() > epoch;
  }

  /**
   * Logs one finished iteration (for trainers that run their own loop).
   *
   * @param iteration 1-based iteration of the run
   * @param loss its loss
   * @param learningRate its learning rate
   * @param samplesPerSecond samples (not views) per second
   * @param phases seconds spent in the iteration's phases, as {@code name_s} columns
   * @throws TrainingDiverged if the loss is not finite
   */
  public void emit(long iteration, float loss, double learningRate, double samplesPerSecond,
      Map<String, Double> phases) {
    emit(iteration, loss, learningRate, samplesPerSecond, phases, BatchStats.NONE);
  }

  /**
   * Logs one finished iteration with its batch statistics, and reports a collapse when the
   * detector (if {@link #watch}ed) fires.
   *
   * @param stats the batch's mean cosine and collapsed-batch loss (columns
   *     {@code batch_mean_cosine}, {@code collapsed_loss}; null when unknown)
   * @throws TrainingDiverged if the loss is not finite
   */
  public void emit(long iteration, float loss, double learningRate, double samplesPerSecond,
      Map<String, Double> phases, BatchStats stats) {
    double lr = Math.abs(learningRate);
    double images = 2.0 * samplesPerSecond;
    double elapsed = (System.nanoTime() - started) / 1e9;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("iteration", iteration);
    row.put("epoch", epoch);
    row.put("loss", Float.isFinite(loss) ? loss : String.valueOf(loss));
    row.put("lr", lr);
    row.put("images_per_s", images);
    row.put("elapsed_s", elapsed);
    row.put("iteration_s", samplesPerSecond > 0 ? batchSize / samplesPerSecond : null);
    row.putAll(phases);
    row.put("batch_mean_cosine", stats.meanCosine());
    row.put("collapsed_loss", stats.collapsedLoss());
    write(row);
    long left = Math.max(0, totalIterations - iteration);
    console.printf("epoch %d  iter %d/%d  loss %.4f%s  lr %.5f  %.1f img/s  ETA %s%n", epoch,
        iteration, totalIterations, loss, stats.meanCosine() == null ? ""
            : String.format("  cos %.3f", stats.meanCosine()), lr, images,
        eta(left * elapsed / Math.max(1, iteration)));
    if (!Float.isFinite(loss)) {
      throw new TrainingDiverged(iteration, loss, lastCheckpoint);
    }
    lastLoss = loss;
    if (detector != null) {
      detector.observe(epoch, iteration, loss, stats).ifPresent(this::collapse);
    }
  }

  /** The collapse event line and the console warning. */
  private void collapse(CollapseDetector.Event e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("event", "collapse");
    row.put("epoch", e.epoch());
    row.put("iteration", e.iteration());
    row.put("loss", e.loss());
    row.put("collapsed_loss", e.collapsedLoss());
    row.put("batch_mean_cosine", e.meanCosine());
    write(row);
    console.printf("WARNING: collapse at epoch %d iteration %d: loss %.4f is at the loss of a "
        + "fully collapsed batch (%.4f) and the batch's projections have mean cosine %.3f; the "
        + "encoder maps its inputs to one point (README, \"Collapse and online evaluation\")%n",
        e.epoch(), e.iteration(), e.loss(), e.collapsedLoss(), e.meanCosine());
  }

  /**
   * Logs a finished epoch's online evaluation: the {@code online_eval} event line and a
   * console line.
   *
   * @param iteration iterations done when it was computed
   */
  public void onlineEval(int epoch, long iteration, OnlineKnn.Scores s) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("event", "online_eval");
    row.put("epoch", epoch);
    row.put("iteration", iteration);
    row.put("knn_accuracy", finiteOrNull(s.accuracy()));
    row.put("knn_balanced_accuracy", finiteOrNull(s.balancedAccuracy()));
    row.put("knn_auroc", finiteOrNull(s.auroc()));
    row.put("subtype_knn_accuracy", s.subtypeAccuracy());
    row.put("majority_subtype_knn_accuracy", s.majoritySubtypeAccuracy());
    row.put("knn_samples", s.samples());
    write(row);
    console.printf("epoch %d  online k-NN (%d val samples): accuracy %.4f  balanced %.4f  "
        + "AUROC %.4f%s%n", epoch, s.samples(), s.accuracy(), s.balancedAccuracy(), s.auroc(),
        s.majoritySubtypeAccuracy() == null ? "" : String.format(
            "  sub-type %.4f  majority sub-type %.4f", s.subtypeAccuracy(),
            s.majoritySubtypeAccuracy()));
  }

  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /**
   * Logs the validation loss of a finished epoch: a JSON line {@code epoch, iteration,
   * val_loss, val_samples} (no {@code loss}, so loss curves skip it) and a console line.
   *
   * @param iteration iterations done when it was computed
   * @param loss the mean loss over the val split (NaN when it had no batch of two samples)
   * @param samples val samples scored
   */
  public void validation(int epoch, long iteration, double loss, long samples) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("epoch", epoch);
    row.put("iteration", iteration);
    row.put("val_loss", Double.isFinite(loss) ? loss : String.valueOf(loss));
    row.put("val_samples", samples);
    write(row);
    console.printf("epoch %d  validation loss %.4f (%d val samples)%n", epoch, loss, samples);
  }

  private void write(Map<String, Object> row) {
    try {
      jsonLines.write((LINE.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8));
      // flush() alone does not make the line visible to HDFS readers.
      if (jsonLines instanceof org.apache.hadoop.fs.Syncable s) {
        s.hflush();
      } else {
        jsonLines.flush();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Attaches the tasks' view time: running totals of nanoseconds and of tasks, whose average
   * over the last iteration's tasks then goes into each row as {@code views_s}.
   */
  public void viewTime(java.util.function.LongSupplier nanos,
      java.util.function.LongSupplier tasks) {
    this.views = nanos;
    this.viewBatches = tasks;
    this.viewNanos = nanos.getAsLong();
    this.viewTasks = tasks.getAsLong();
  }

  /** DistriOptimizer's timings of the last iteration, once attached. */
  private Map<String, Double> optimiserTimings() {
    Map<String, Double> t = new LinkedHashMap<>();
    if (timings != null) {
      t.put("compute_s", seconds("computing time average"));
      t.put("weights_sync_s", seconds("get weights average"));
      t.put("gradients_sync_s", sum(seconds("put gradient"),
          seconds("aggregrateGradientParition average executor")));
    }
    if (views != null) {
      t.put("views_s", viewSeconds());
    }
    return t;
  }

  /**
   * Seconds a task spent getting its views, averaged over the tasks since the last call (null
   * if none, or without {@link #viewTime}).
   */
  Double viewSeconds() {
    if (views == null) {
      return null;
    }
    long nanos = views.getAsLong();
    long tasks = viewBatches.getAsLong();
    Double out = tasks > viewTasks ? (nanos - viewNanos) / 1e9 / (tasks - viewTasks) : null;
    viewNanos = nanos;
    viewTasks = tasks;
    return out;
  }

  /**
   * One of DistriOptimizer's timings in seconds, averaged over the partitions that added to it,
   * or null if this BigDL version does not record it. (The BigDL names, typo included.)
   */
  private Double seconds(String name) {
    try {
      scala.Tuple2<Object, Object> v = timings.get(name);
      int parallel = ((Number) v._2()).intValue();
      return ((Number) v._1()).doubleValue() / Math.max(1, parallel) / 1e9;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Double sum(Double a, Double b) {
    return a == null || b == null ? null : a + b;
  }

  static String eta(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
