package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.CheckpointRetention;
import org.ttcspark.train.CollapseDetector;
import org.ttcspark.train.ExecutorLost;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * The epoch loop of every training engine: the resume point, the metrics log and the watch for
 * lost executors, then per epoch the {@link LossSeam}'s inputs (criterion, SBCL's cluster ids),
 * the engine's epoch of steps ({@link EpochStepper}), a checkpoint with the optimiser state, the
 * optional validation loss and the online evaluation.
 *
 * <p>An executor lost in any job of an epoch stops the run with {@link ExecutorLost} (see
 * {@link ExecutorLossWatch} for why it does not go on); the checkpoints written so far are
 * whole, so {@code --resume} continues from the last one.
 */
public final class EpochLoop {
  private final AbstractModule<Activity, Activity, Object> model;
  private final long seed;
  private final String signature;
  private final String method;
  private final int views;
  private JavaRDD<TrainSample> validation;
  private ViewSource evalViews;
  private CheckpointRetention keep;
  private CollapseDetector collapse;
  private OnlineEvaluation online;

  /**
   * @param model the plain BigDL model (what checkpoints store; the stepper leaves the trained
   *     weights in it after every epoch)
   * @param seed run seed (augmentation draws of the validation loss)
   * @param signature architecture signature stored with checkpoints
   * @param method loss method stored with checkpoints
   * @param views views per sample (2 contrastive, 1 cross-entropy)
   */
  public EpochLoop(AbstractModule<Activity, Activity, Object> model, long seed, String signature,
      String method, int views) {
    this.model = model;
    this.seed = seed;
    this.signature = signature;
    this.method = method;
    this.views = views;
  }

  /**
   * Also computes the loss of {@code val} after every epoch ({@link ValidationLoss}) and logs it.
   *
   * @param val the val split (cached by the caller), or null for none
   * @param evalViews the evaluation transform (SBCL assigns val samples to subclasses with it)
   * @return this loop
   */
  public EpochLoop validateOn(JavaRDD<TrainSample> val, ViewSource evalViews) {
    this.validation = val;
    this.evalViews = evalViews;
    return this;
  }

  /** Deletes older checkpoints as {@code keep} says, after every new one is complete. */
  public EpochLoop keeping(CheckpointRetention keep) {
    this.keep = keep;
    return this;
  }

  /**
   * Watches every iteration for collapse and evaluates the val split online after the epochs
   * {@code train.online-eval} asks for.
   *
   * @param collapse the detector (fed every logged iteration), or null for none
   * @param online the online evaluation, or null for none
   * @return this loop
   */
  public EpochLoop monitor(CollapseDetector collapse, OnlineEvaluation online) {
    this.collapse = collapse;
    this.online = online;
    return this;
  }

  /**
   * Trains epochs {@code firstEpoch .. lastEpoch} (1-based, inclusive) over {@code samples},
   * checkpointing after each into {@code run}. A run resumed after epoch {@code firstEpoch - 1}
   * gets the optimiser state saved with that epoch's checkpoint back. The stepper is closed at
   * the end.
   *
   * @param samples the train split (cached), handed to the loss seam every epoch
   * @param totalIterations iterations of the whole run, for the ETA
   * @return the last checkpoint written
   */
  public Checkpoint train(EpochStepper stepper, JavaRDD<TrainSample> samples,
      ViewSource trainViews, LossSeam loss, int firstEpoch, int lastEpoch, int totalIterations,
      RunFolder run, PrintStream console) throws IOException {
    // The checkpoint resumed from (not necessarily the newest: a damaged one is passed over).
    Path previous = firstEpoch > 1 ? Checkpoint.folder(run.path(), firstEpoch - 1) : null;
    Checkpoint last = null;
    try (EpochStepper steps = stepper;
        OutputStream json = RunFiles.metrics(run);
        ExecutorLossWatch watch = new ExecutorLossWatch(samples.context(),
            "ttc-train-" + run.path().getName())) {
      if (previous != null) {
        steps.resumeFrom(previous, run, console);
      }
      watch.trainingJobs();
      MetricsLog log = new MetricsLog(json, console, totalIterations, steps.batchSize());
      log.watch(collapse);
      for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
        stopIfLost(watch, epoch, previous, null);
        try {
          LossSeam.Epoch inputs = loss.begin(epoch, model, samples);
          log.epoch(epoch, previous == null ? null : previous.toString());
          steps.trainEpoch(epoch, inputs, trainViews, log);
          long iteration = steps.iterationsDone();
          double rate = steps.learningRate();
          last = new Checkpoint(epoch, iteration, rate, signature, method, log.lastLoss());
          previous = RunFiles.save(model, run, last, steps.optimState(), steps::writeExtras, keep,
              console);
          if (validation != null) {
            ValidationLoss.Result v = ValidationLoss.of(validation, model, inputs, trainViews,
                evalViews, steps.validationBatch(), views, seed);
            log.validation(epoch, last.iteration(), v.loss(), v.samples());
          }
          if (online != null) {
            online.after(epoch, last.iteration(), model, log);
          }
        } catch (Throwable e) {
          // Any job of the epoch may be the one cancelled (the steps, the state gathering, the
          // loss seam, validation). Scala throws SparkException (checked) undeclared: catch
          // all, rethrow as it came.
          stopIfLost(watch, epoch, previous, e);
          throw e;
        }
      }
    }
    return last;
  }

  /** Turns a lost executor into {@link ExecutorLost}, whatever the engine made of it. */
  static void stopIfLost(ExecutorLossWatch watch, int epoch, Path lastCheckpoint,
      Throwable cause) {
    ExecutorLossWatch.Loss lost = watch.loss();
    if (lost != null) {
      throw new ExecutorLost(lost.executor(), lost.reason(), epoch,
          lastCheckpoint == null ? null : lastCheckpoint.toString(), cause);
    }
  }
}
