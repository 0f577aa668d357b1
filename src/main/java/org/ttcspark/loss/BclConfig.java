package org.ttcspark.loss;

import java.io.Serializable;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code loss.bcl} section: BCL's class counts and the weights of its two training terms
 * ({@code loss = ce-weight * LogitAdjust + scl-weight * BalSCL}, the authors' alpha and beta).
 *
 * @param classCounts per-class train counts (the authors' cls_num_list); empty: the train
 *     split's counts
 * @param ceWeight weight of the logit-adjusted cross-entropy, at least 0
 * @param sclWeight weight of BalSCL, at least 0
 */
public record BclConfig(List<Long> classCounts, double ceWeight, double sclWeight)
    implements Serializable {
  static BclConfig read(ConfigReader r) {
    List<Long> counts = ClassCounts.read(r, "loss.bcl.class-counts");
    double ce = r.doubleIn("loss.bcl.ce-weight", 0, Double.MAX_VALUE);
    double scl = r.doubleIn("loss.bcl.scl-weight", 0, Double.MAX_VALUE);
    r.require(ce + scl > 0, "loss.bcl.ce-weight", "and loss.bcl.scl-weight are both 0; "
        + "make one of them greater than 0");
    return new BclConfig(counts, ce, scl);
  }

  /** The configured counts, or {@code trainCounts} when none are configured. */
  public long[] countsOr(long[] trainCounts) {
    return ClassCounts.orElse(classCounts, trainCounts);
  }
}
