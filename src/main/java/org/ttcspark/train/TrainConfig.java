package org.ttcspark.train;

import com.typesafe.config.Config;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code train} section (every key is documented in {@code reference.conf}).
 *
 * @param batchSize global batch in samples (each sample gives two views)
 * @param epochs epochs to train
 * @param learningRate peak learning rate after warm-up
 * @param warmUpEpochs epochs of linear warm-up from learningRate * 0.1
 * @param momentum SGD momentum
 * @param weightDecay SGD weight decay (L2)
 * @param lossScope which batch one loss call sees: the model copy's slice or the global batch
 * @param globalSlices slices of the global batch in global scope (0: one per model copy)
 * @param globalPrecision how global scope exchanges gradients and weights: fp32 or fp16
 * @param validation whether to compute the loss of the val split after every epoch
 * @param ceLearningRate Adam learning rate of {@code train-ce}
 * @param benchIterations measured iterations of {@code ttc bench}
 * @param benchWarmUp unmeasured iterations before them
 * @param checkpoints which per-epoch checkpoints the run keeps
 * @param prefetchViews whether executors draw the next batch's views while the current trains
 */
public record TrainConfig(int batchSize, int epochs, double learningRate, int warmUpEpochs,
    double momentum, double weightDecay, LossScope lossScope, int globalSlices,
    String globalPrecision, boolean validation, double ceLearningRate, int benchIterations,
    int benchWarmUp, CheckpointRetention checkpoints, boolean prefetchViews) {

  /**
   * Reads and checks the {@code train} section; with {@code engine.type = mklblas} the batch
   * must be divisible by the cores BigDL splits it across ({@code engine.core-number}, or this
   * machine's cores when 0). @throws org.ttcspark.config.ConfigProblems
   */
  public static TrainConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    TrainConfig c = new TrainConfig(r.intIn("train.batch-size", 1, 1 << 20),
        r.intIn("train.epochs", 1, 100_000), r.doubleAbove("train.learning-rate", 0),
        r.intIn("train.warm-up-epochs", 0, 100_000), r.doubleIn("train.momentum", 0, 0.999),
        r.doubleIn("train.weight-decay", 0, 1),
        r.enumOf("train.loss-scope", LossScope.class),
        r.intIn("train.global.slices", 0, 1 << 16),
        r.oneOf("train.global.precision", "fp32", "fp16"),
        r.bool("train.validation"),
        r.doubleAbove("train.ce.learning-rate", 0), r.intIn("train.bench.iterations", 1, 100_000),
        r.intIn("train.bench.warm-up", 0, 100_000), CheckpointRetention.read(r),
        r.bool("train.prefetch-views"));
    if (config.hasPath("engine.type") && config.getString("engine.type").equals("mklblas")) {
      int cores = config.getInt("engine.core-number");
      int n = cores > 0 ? cores : Runtime.getRuntime().availableProcessors();
      r.require(c.batchSize % n == 0, "train.batch-size", "must be divisible by the " + n
          + " cores BigDL's MklBlas mode splits every batch across (engine.core-number); use a "
          + "multiple of " + n + ", e.g. " + Math.max(n, c.batchSize / n * n));
    }
    r.done();
    return c;
  }

  /**
   * Checks the batch against the running cluster: it must split evenly over
   * {@code partitions × replicasPerPartition} model copies.
   *
   * @throws IllegalArgumentException naming the batch, the copies and a valid batch otherwise
   */
  public void checkAgainstCluster(int partitions, int replicasPerPartition) {
    int copies = partitions * replicasPerPartition;
    if (batchSize % copies != 0 || batchSize < copies) {
      throw new IllegalArgumentException("train.batch-size = " + batchSize + " does not split over "
          + partitions + " partition(s) x " + replicasPerPartition + " model replica(s); use a "
          + "multiple of " + copies + ", e.g. " + Math.max(copies, batchSize / copies * copies));
    }
  }
}
