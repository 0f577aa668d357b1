package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.dataset.DistributedDataSet;
import com.intel.analytics.bigdl.dataset.MiniBatch;
import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.DistriOptimizer;
import com.intel.analytics.bigdl.optim.OptimMethod;
import com.intel.analytics.bigdl.utils.Engine$;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.ttcspark.model.bigdl.DnnWeights;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.CheckpointRetention;
import org.ttcspark.train.CollapseDetector;
import org.ttcspark.train.ExecutorLost;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Trains a BigDL model with DistriOptimizer (synchronous SGD, parameters all-reduced through
 * the block manager), one {@code optimize()} call per epoch so that every epoch gets fresh
 * augmentation seeds, a checkpoint and what the {@link LossSeam} gives it (criterion, SBCL's
 * cluster ids); the optimiser keeps its per-executor state (momentum) between the calls
 * ({@code reserveOptim}), saves it with every checkpoint and installs it again on resume and
 * whenever the training data is rebuilt ({@link OptimState}).
 *
 * <p>An executor lost during training stops the run with {@link ExecutorLost} (see
 * {@link ExecutorLossWatch} for why it does not go on); the checkpoints written so far are
 * whole, so {@code --resume} continues from the last one.
 */
public final class DistriTrainer {
  private final AbstractModule<Activity, Activity, Object> model;
  private final AbstractModule<Activity, Activity, Object> trainModel;
  private final OptimMethod<Object> optim;
  private final int batchSize;
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
   * @param model the plain BigDL model (what checkpoints store; receives the trained weights)
   * @param optim the optimiser (its state's epoch and neval say where training stands)
   * @param batchSize global batch in samples
   * @param seed run seed (augmentation draws)
   * @param signature architecture signature stored with checkpoints
   * @param method loss method stored with checkpoints
   * @param views views per sample (2 contrastive, 1 cross-entropy)
   */
  public DistriTrainer(AbstractModule<Activity, Activity, Object> model, OptimMethod<Object> optim,
      int batchSize, long seed, String signature, String method, int views) {
    this.views = views;
    this.model = model;
    this.trainModel = SparkRuntime.engineInUse() == EngineType.MKLDNN
        ? Bigdl.toMklDnn(model, Memory.Format.nchw, Memory.Format.nc) : model;
    this.optim = optim;
    this.batchSize = batchSize;
    this.seed = seed;
    this.signature = signature;
    this.method = method;
  }

  /**
   * Also computes the loss of {@code val} after every epoch ({@link ValidationLoss}) and logs it.
   *
   * @param val the val split (cached by the caller)
   * @param evalViews the evaluation transform (SBCL assigns val samples to subclasses with it)
   * @return this trainer
   */
  public DistriTrainer validateOn(JavaRDD<TrainSample> val, ViewSource evalViews) {
    this.validation = val;
    this.evalViews = evalViews;
    return this;
  }

  /** Deletes older checkpoints as {@code keep} says, after every new one is complete. */
  public DistriTrainer keeping(CheckpointRetention keep) {
    this.keep = keep;
    return this;
  }

  /**
   * Watches every iteration for collapse and evaluates the val split online after the epochs
   * {@code train.online-eval} asks for.
   *
   * @param collapse the detector (fed every logged iteration)
   * @param online the online evaluation, or null for none
   * @return this trainer
   */
  public DistriTrainer monitor(CollapseDetector collapse, OnlineEvaluation online) {
    this.collapse = collapse;
    this.online = online;
    return this;
  }

  /** Model copies per partition: MklBlas keeps one replica per core, MklDnn one model. */
  public static int replicasPerPartition() {
    return SparkRuntime.engineInUse() == EngineType.MKLDNN ? 1 : Engine$.MODULE$.coreNumber();
  }

  /** Partitions the training data is spread over: one per BigDL node (executor). */
  public static int partitions() {
    return Engine$.MODULE$.nodeNumber();
  }

  /**
   * Trains epochs {@code firstEpoch .. lastEpoch} (1-based, inclusive) over {@code samples},
   * checkpointing after each into {@code run}. A run resumed after epoch {@code firstEpoch - 1}
   * gets the optimiser state saved with that epoch's checkpoint back.
   *
   * @param samples the train split (cached), handed to the loss seam every epoch
   * @return the last checkpoint written
   */
  public Checkpoint train(JavaRDD<TrainSample> samples, ViewSource views, LossSeam loss,
      int firstEpoch, int lastEpoch, int totalIterations, RunFolder run, PrintStream console)
      throws IOException {
    int perPartition = batchSize / partitions();
    Checkpoint last = null;
    // The checkpoint resumed from (not necessarily the newest: a damaged one is passed over).
    Path previous = firstEpoch > 1 ? Checkpoint.folder(run.path(), firstEpoch - 1) : null;
    OptimState carried = firstEpoch > 1 && previous != null
        ? resumedState(previous, run, console) : null;
    DistriOptimizer<Object> opt = null;
    JavaRDD<TrainSample> current = null;
    SeededDataSet base = null;
    SliceSchedule layout = SliceSchedule.of(batchSize, partitions(), seed);
    List<JavaRDD<?>> installed = new ArrayList<>();
    try (OutputStream json = RunFiles.metrics(run);
        ExecutorLossWatch watch = new ExecutorLossWatch(samples.context(),
            "ttc-train-" + run.path().getName())) {
      watch.trainingJobs();
      MetricsLog log = new MetricsLog(json, console, totalIterations, batchSize);
      for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
        stopIfLost(watch, epoch, previous, null);
        try {
          LossSeam.Epoch inputs = loss.begin(epoch, model, samples);
          boolean rebuilt = inputs.samples() != current;
          if (rebuilt) {
            if (base != null) {
              base.unpersist();
            }
            current = inputs.samples();
            base = SeededDataSet.of(current, layout);
          }
          long firstStep = ((Number) optim.state().apply("neval")).longValue();
          DistributedDataSet<MiniBatch<Object>> data =
              epochData(base.epoch(epoch, firstStep), perPartition, views, epoch);
          if (opt == null) {
            opt = new DistriOptimizer<>(trainModel, data, inputs.criterion(), Bigdl.FLOAT,
                Bigdl.NUMERIC);
            log.timings(opt.metrics());
            BatchStatsCollector collector = new BatchStatsCollector(samples.context());
            opt.parameterProcessors().$plus$eq(collector);
            log.watch(collapse, collector);
            opt.setOptimMethod(optim);
            opt.reserveOptim(true);
          } else {
            opt.dataset_$eq(data);
            opt.setCriterion(inputs.criterion());
          }
          if (rebuilt && carried != null) {
            base.cache();
            installed.add(carried.scatter(opt, base.originRDD(), optim, trainModel.getName()));
          }
          log.epoch(epoch, previous == null ? null : previous.toString());
          opt.setEndWhen(SeededDataSet.stamping(log, samples.context()));
          opt.optimize();
          DnnWeights.copyInto(trainModel, model);
          carried = OptimState.gather(opt, optim, engine());
          last = new Checkpoint(epoch, ((Number) optim.state().apply("neval")).longValue() - 1,
              Math.abs(optim.getLearningRate()), signature, method, log.lastLoss());
          previous = RunFiles.save(model, run, last, carried, keep, console);
          if (validation != null) {
            ValidationLoss.Result v = ValidationLoss.of(validation, model, inputs, views,
                evalViews, perPartition / replicasPerPartition(), this.views, seed);
            log.validation(epoch, last.iteration(), v.loss(), v.samples());
          }
          if (online != null) {
            online.after(epoch, last.iteration(), model, log);
          }
        } catch (Throwable e) {
          // Any job of the epoch may be the one cancelled (optimiser, state gathering, loss seam,
          // validation). Scala throws SparkException (checked) undeclared: catch all, rethrow.
          stopIfLost(watch, epoch, previous, e);
          throw e;
        }
      }
    } finally {
      installed.forEach(JavaRDD::unpersist);
      if (base != null) {
        base.unpersist();
      }
    }
    return last;
  }

  /** The optimiser state saved with a checkpoint, if it fits this model and engine. */
  private OptimState resumedState(Path checkpoint, RunFolder run, PrintStream console)
      throws IOException {
    return OptimState.resumable(checkpoint, run.hadoop(), optim, engine(),
        trainModel.getParameters()._1().nElement(), console);
  }

  static String engine() {
    return SparkRuntime.engineInUse().name().toLowerCase();
  }

  /** Turns a lost executor into {@link ExecutorLost}, whatever the optimiser made of it. */
  static void stopIfLost(ExecutorLossWatch watch, int epoch, Path lastCheckpoint,
      Throwable cause) {
    ExecutorLossWatch.Loss lost = watch.loss();
    if (lost != null) {
      throw new ExecutorLost(lost.executor(), lost.reason(), epoch,
          lastCheckpoint == null ? null : lastCheckpoint.toString(), cause);
    }
  }

  @SuppressWarnings("unchecked")
  private DistributedDataSet<MiniBatch<Object>> epochData(DistributedDataSet<TrainSample> base,
      int perPartition, ViewSource views, int epoch) {
    return (DistributedDataSet<MiniBatch<Object>>) (Object) base.transform(
        new ViewBatcher(perPartition, views, seed, epoch, this.views), tag(MiniBatch.class));
  }

  @SuppressWarnings("unchecked")
  private static <T> ClassTag<T> tag(Class<?> c) {
    return (ClassTag<T>) ClassTag$.MODULE$.apply(c);
  }
}
