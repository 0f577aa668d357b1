package org.ttcspark.metrics;

import com.typesafe.config.Config;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code probe} section (see reference.conf for meanings and ranges).
 *
 * @param column "feature" or "projection"
 * @param regParams L2 strengths tried, in order
 * @param elasticNet MLlib's elastic-net mixing in [0, 1]
 * @param maxIter iterations per fit
 * @param standardize whether MLlib standardises features
 * @param classWeights how training rows are weighted
 * @param selectBy validation score that picks the regularisation
 * @param trainSplit split fitted on
 * @param valSplit split scored to choose
 * @param testSplit split reported
 * @param singlePartitionMaxValues largest train split (rows x width) fitted as one partition
 */
public record ProbeConfig(String column, List<Double> regParams, double elasticNet, int maxIter,
    boolean standardize, ClassWeights classWeights, SelectBy selectBy, String trainSplit,
    String valSplit, String testSplit, long singlePartitionMaxValues) {

  /** Row weights of the training split. */
  public enum ClassWeights {
    /** Every row weighs 1. */
    NONE,
    /** Row weight n / (2 n_class): both classes weigh the same. */
    BALANCED;

    /**
     * The weight of a row of each class.
     *
     * @param counts {@code [2]} training rows per class
     */
    public double[] weights(long[] counts) {
      if (this == NONE) {
        return new double[] {1, 1};
      }
      long n = counts[0] + counts[1];
      return new double[] {n / (2.0 * Math.max(1, counts[0])), n / (2.0 * Math.max(1, counts[1]))};
    }
  }

  /** Which validation score is maximised. */
  public enum SelectBy {
    BALANCED_ACCURACY, ACCURACY, AUROC, MINORITY_F1, MACRO_F1;

    /** The score of {@code m}. */
    public double of(ClassificationMetrics m) {
      return switch (this) {
        case BALANCED_ACCURACY -> m.balancedAccuracy();
        case ACCURACY -> m.accuracy();
        case AUROC -> m.auroc();
        case MINORITY_F1 -> m.minorityF1();
        case MACRO_F1 -> m.macroF1();
      };
    }
  }

  /** Reads and validates the {@code probe} section. */
  public static ProbeConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    ProbeConfig p = new ProbeConfig(
        r.oneOf("probe.column", "feature", "projection"),
        r.doubles("probe.reg-params"),
        r.doubleIn("probe.elastic-net", 0, 1),
        r.intIn("probe.max-iter", 1, 100_000),
        r.bool("probe.standardize"),
        r.enumOf("probe.class-weights", ClassWeights.class),
        r.enumOf("probe.select-by", SelectBy.class),
        r.string("probe.train-split"), r.string("probe.val-split"), r.string("probe.test-split"),
        r.longIn("probe.single-partition-max-values", 0, Long.MAX_VALUE));
    r.require(!p.regParams.isEmpty() && p.regParams.stream().allMatch(v -> v >= 0
        && Double.isFinite(v)), "probe.reg-params", "must list at least one finite value >= 0");
    r.done();
    return p;
  }
}
