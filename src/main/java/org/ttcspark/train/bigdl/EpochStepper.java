package org.ttcspark.train.bigdl;

import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.ViewSource;

/**
 * One engine's way of training an epoch, inside the loop every engine shares
 * ({@link EpochLoop}): BigDL's DistriOptimizer ({@link DistriTrainer}), or the global-scope
 * step with the slices computed by BigDL or PyTorch ({@link GlobalTrainer}). The loop asks in
 * this order after every epoch: {@link #iterationsDone}, {@link #learningRate},
 * {@link #optimState}.
 */
interface EpochStepper extends AutoCloseable {
  /** The global batch in samples (the log's throughput). */
  int batchSize();

  /**
   * Before the first epoch of a resumed run: takes the optimiser state saved with the
   * checkpoint resumed from, if it fits this model and engine.
   */
  void resumeFrom(Path checkpoint, RunFolder run, PrintStream console) throws IOException;

  /**
   * Trains epoch {@code epoch} on the loss seam's inputs, logging every iteration, and leaves
   * the trained weights in the plain model the checkpoints store.
   */
  void trainEpoch(int epoch, LossSeam.Epoch inputs, ViewSource views, MetricsLog log)
      throws IOException;

  /** Iterations done so far in the run (the checkpoint's iteration). */
  long iterationsDone();

  /** The learning rate the checkpoint records. */
  double learningRate();

  /** The optimiser state saved with the checkpoint. */
  OptimState optimState();

  /** Samples per batch of the validation loss. */
  int validationBatch();

  /** Releases what the epochs cached (the loop calls it once, also after a failure). */
  @Override
  void close();
}
