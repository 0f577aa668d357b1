package org.ttcspark.train;

import com.typesafe.config.Config;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code finetune} section: the classifier trained on a pretrained encoder, the evaluation
 * protocol of the paper's authors (their {@code experiment=finetune} / {@code
 * finetune_prototype}). Every key is documented in {@code reference.conf}.
 *
 * @param epochs epochs of fine-tuning, at least 1
 * @param batchSize global batch in samples
 * @param learningRate Adam's peak rate, decayed by a cosine over all iterations
 * @param weightDecay L2 coefficient on the head's weights (as PyTorch's Adam weight_decay)
 * @param dropout dropout probability before the head, in [0, 1)
 * @param head linear or a two-layer MLP
 * @param trainable whether the backbone is trained too (false: frozen, its parameters never
 *     change)
 * @param balance how the class imbalance of train is met
 * @param folder the sub-folder of the pretrained run that holds this finetune
 * @param cbBeta beta of the class-balanced weights ({@code cb}, {@code ldam-drw}), in [0, 1)
 * @param ldamMaxMargin LDAM's largest class margin, greater than 0
 * @param ldamScale LDAM's logit scale s, greater than 0
 * @param drwEpoch first epoch (1-based) of {@code ldam-drw} with the class-balanced weights;
 *     earlier epochs weigh all classes alike
 */
public record FinetuneConfig(int epochs, int batchSize, double learningRate, double weightDecay,
    double dropout, Head head, boolean trainable, Balance balance, String folder, double cbBeta,
    double ldamMaxMargin, double ldamScale, int drwEpoch, boolean standardizeFeatures) {

  /** The classifier on the backbone's pooled feature. */
  public enum Head { LINEAR, MLP }

  /**
   * none; class-weighted cross-entropy (weights 1 / count); upsample the minority; SBCL's
   * second-stage rules: cross-entropy with class-balanced weights (effective number of
   * samples), or LDAM on unit features with deferred re-weighting.
   */
  public enum Balance { NONE, WEIGHTED, UPSAMPLE, CB, LDAM_DRW }

  /** Reads and checks the section; all problems are reported together. */
  public static FinetuneConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    FinetuneConfig f = new FinetuneConfig(r.intIn("finetune.epochs", 1, 100_000),
        r.intIn("finetune.batch-size", 1, 1 << 20),
        r.doubleAbove("finetune.learning-rate", 0), r.doubleIn("finetune.weight-decay", 0, 1),
        r.doubleIn("finetune.dropout", 0, 0.99), r.enumOf("finetune.head", Head.class),
        r.bool("finetune.trainable"), r.enumOf("finetune.balance", Balance.class),
        r.string("finetune.folder"), r.doubleIn("finetune.cb-beta", 0, 0.999999999),
        r.doubleAbove("finetune.ldam.max-margin", 0), r.doubleAbove("finetune.ldam.scale", 0),
        r.intIn("finetune.ldam.drw-epoch", 1, 100_000), r.bool("finetune.standardize-features"));
    r.require(f.folder().matches("[A-Za-z0-9._-]+") && !f.folder().startsWith("."),
        "finetune.folder", "must be one folder name of letters, digits, '.', '_' or '-', e.g. "
            + "finetune-trainable");
    r.done();
    return f;
  }

  /** Batch must split evenly over the model copies, as BigDL's DistriOptimizer needs. */
  public void checkAgainstCluster(int partitions, int replicasPerPartition) {
    int copies = partitions * replicasPerPartition;
    if (batchSize % copies != 0 || batchSize < copies) {
      throw new IllegalArgumentException("finetune.batch-size = " + batchSize + " does not split "
          + "over " + partitions + " partition(s) x " + replicasPerPartition + " model "
          + "replica(s); use a multiple of " + copies + ", e.g. "
          + Math.max(copies, batchSize / copies * copies));
    }
  }
}
