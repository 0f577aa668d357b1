package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.OptimMethod;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.ViewSource;

/**
 * One engine's way of training an epoch, inside the loop every engine shares
 * ({@link EpochLoop}): BigDL's DistriOptimizer ({@link DistriTrainer}), or the global-scope
 * step with the slices computed by BigDL or PyTorch ({@link GlobalTrainer}). The loop asks in
 * this order after every epoch: {@link #iterationsDone}, {@link #learningRate},
 * {@link #optimState}.
 */
abstract class EpochStepper implements AutoCloseable {
  /** The plain BigDL model: what checkpoints store; receives the trained weights. */
  protected final AbstractModule<Activity, Activity, Object> model;
  /** What the engine trains: the MKL-DNN graph of the model in mkldnn mode, else the model. */
  protected AbstractModule<Activity, Activity, Object> trainModel;
  /** The optimiser (its state's epoch and neval say where training stands). */
  protected final OptimMethod<Object> optim;
  /** The optimiser state of the checkpoint resumed from, until the first epoch takes it. */
  protected OptimState carried;
  /**
   * Identifies this run's view draws to {@link ViewPrefetch} on the executors; null: every
   * task draws its batch's views itself.
   */
  protected String prefetch;

  protected EpochStepper(AbstractModule<Activity, Activity, Object> model,
      OptimMethod<Object> optim) {
    this.model = model;
    this.trainModel = SparkRuntime.engineInUse() == EngineType.MKLDNN
        ? Bigdl.toMklDnn(model, Memory.Format.nchw, Memory.Format.nc) : model;
    this.optim = optim;
  }

  /**
   * Draws each slice's next batch of views while the current one trains (train.prefetch-views):
   * the same views either way, only earlier.
   *
   * @return this stepper
   */
  EpochStepper prefetchingViews(boolean on) {
    prefetch = on ? java.util.UUID.randomUUID().toString() : null;
    return this;
  }

  /** The global batch in samples (the log's throughput). */
  abstract int batchSize();

  /** The engine whose flat parameter layout the saved optimiser state has. */
  abstract String stateEngine();

  /**
   * Before the first epoch of a resumed run: takes the optimiser state saved with the
   * checkpoint resumed from, if it fits this model and engine.
   */
  void resumeFrom(Path checkpoint, RunFolder run, PrintStream console) throws IOException {
    carried = OptimState.resumable(checkpoint, run.hadoop(), optim, stateEngine(),
        trainModel.getParameters()._1().nElement(), console);
  }

  /**
   * Trains epoch {@code epoch} on the loss seam's inputs, logging every iteration, and leaves
   * the trained weights in the plain model the checkpoints store.
   */
  abstract void trainEpoch(int epoch, LossSeam.Epoch inputs, ViewSource views, MetricsLog log)
      throws IOException;

  /** Iterations done so far in the run (the checkpoint's iteration). */
  abstract long iterationsDone();

  /** The learning rate the checkpoint records. */
  abstract double learningRate();

  /** The optimiser state saved with the checkpoint. */
  abstract OptimState optimState();

  /**
   * Writes what else a resumed run needs into the checkpoint folder being written (after
   * {@link #optimState}); nothing by default.
   */
  void writeExtras(Path folder, org.apache.hadoop.conf.Configuration conf) throws IOException {}

  /** Samples per batch of the validation loss. */
  abstract int validationBatch();

  /** Releases what the epochs cached (the loop calls it once, also after a failure). */
  @Override
  public abstract void close();
}
