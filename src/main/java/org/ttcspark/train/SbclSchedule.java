package org.ttcspark.train;

/**
 * When SBCL clusters the train embeddings into subclasses (README, "SBCL in pretrain"): epochs
 * {@code 1 .. warmUpEpochs} train with plain SupCon and no subclasses; the first clustering
 * happens at the start of epoch {@code warmUpEpochs + 1} and then at the start of every
 * {@code every}-th epoch after it. Epochs are 1-based.
 *
 * @param warmUpEpochs epochs before the first clustering, at least 0
 * @param every epochs between two clusterings, at least 1
 */
public record SbclSchedule(int warmUpEpochs, int every) {
  /** @throws IllegalArgumentException on a negative warm-up or a period below 1 */
  public SbclSchedule {
    if (warmUpEpochs < 0 || every < 1) {
      throw new IllegalArgumentException("SBCL needs warm-up epochs >= 0 and a clustering "
          + "period >= 1, got " + warmUpEpochs + " and " + every);
    }
  }

  /** True when epoch {@code epoch} still trains with the warm-up loss (no subclasses). */
  public boolean inWarmUp(int epoch) {
    return epoch <= warmUpEpochs;
  }

  /** True when a clustering runs at the start of epoch {@code epoch}. */
  public boolean clustersAt(int epoch) {
    return !inWarmUp(epoch) && (epoch - warmUpEpochs - 1) % every == 0;
  }

  /**
   * The epoch whose clustering is in force during {@code epoch}: the last clustering epoch at
   * or before it, or 0 during the warm-up.
   */
  public int clusteringFor(int epoch) {
    return inWarmUp(epoch) ? 0 : epoch - (epoch - warmUpEpochs - 1) % every;
  }
}
