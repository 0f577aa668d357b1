package org.ttcspark.train;

import java.util.Optional;

/**
 * Watches the iterations of a run for the signature of a collapsed encoder: the loss pinned at
 * the value of a fully collapsed batch ({@link org.ttcspark.loss.ContrastiveLoss#collapsedLoss})
 * and the batch's projections nearly parallel. Either alone misleads: a loss near that value
 * can be a run that has not started learning (random projections have a mean cosine near 0),
 * and a high mean cosine is normal for SupCon on a batch that is mostly one class, when the
 * loss can still be well below the collapsed value. Both together, for {@code patience}
 * consecutive iterations, is the collapse reported by Mildenberger et al. ("A Tale of Two
 * Classes", CVPR 2025) for SupCon on imbalanced data. Fires at most once per epoch. Not
 * thread-safe (the driver's logging thread owns it).
 */
public final class CollapseDetector {
  /** One detection: the iteration at which the condition had held for {@code patience}. */
  public record Event(int epoch, long iteration, double loss, double collapsedLoss,
      double meanCosine) {}

  private final CollapseConfig config;
  private int run;
  private int firedEpoch = Integer.MIN_VALUE;

  /** A detector with the given thresholds. */
  public CollapseDetector(CollapseConfig config) {
    this.config = config;
  }

  /**
   * Looks at one finished iteration.
   *
   * @param stats its batch statistics; an iteration without them breaks the streak
   * @return the event when the condition has now held for {@code patience} consecutive
   *     iterations and has not yet fired in this epoch
   */
  public Optional<Event> observe(int epoch, long iteration, double loss, BatchStats stats) {
    if (!collapsed(loss, stats)) {
      run = 0;
      return Optional.empty();
    }
    run++;
    if (run < config.patience() || firedEpoch == epoch) {
      return Optional.empty();
    }
    firedEpoch = epoch;
    return Optional.of(new Event(epoch, iteration, loss, stats.collapsedLoss(),
        stats.meanCosine()));
  }

  /** The per-iteration condition. */
  boolean collapsed(double loss, BatchStats stats) {
    if (stats.meanCosine() == null || stats.collapsedLoss() == null || !Double.isFinite(loss)) {
      return false;
    }
    double ref = stats.collapsedLoss();
    return Math.abs(loss - ref) <= config.lossTolerance() * Math.abs(ref)
        && stats.meanCosine() > config.cosineThreshold();
  }
}
