package org.ttcspark.train;

/**
 * What an iteration's batch says about collapse, next to its loss: the mean pairwise cosine of
 * its L2-normalised projections and the loss the method would give it collapsed (see
 * {@link org.ttcspark.loss.Collapse}). In local scope both are means over the model copies'
 * slices, as the loss is.
 *
 * @param meanCosine mean cosine over distinct pairs of rows (all views); null when unknown
 *     (cross-entropy, or no iteration seen)
 * @param collapsedLoss the collapsed-batch loss; null when the method has none
 */
public record BatchStats(Double meanCosine, Double collapsedLoss) implements java.io.Serializable {
  /** Nothing known: both columns null. */
  public static final BatchStats NONE = new BatchStats(null, null);

  /** From NaN-coded doubles (NaN becomes null). */
  public static BatchStats of(double meanCosine, double collapsedLoss) {
    return new BatchStats(Double.isNaN(meanCosine) ? null : meanCosine,
        Double.isNaN(collapsedLoss) ? null : collapsedLoss);
  }
}
