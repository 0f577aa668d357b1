package org.ttcspark.train;

/**
 * Which batch one call of the contrastive loss sees ({@code train.loss-scope}).
 */
public enum LossScope {
  /**
   * Each model copy's slice of the batch: BigDL's DistriOptimizer evaluates the criterion per
   * executor (MklDnn) or per core (MklBlas) and averages the slices' gradients.
   */
  LOCAL,
  /**
   * The whole global batch: the slices' projections are gathered on the driver, the loss is
   * computed once over all of them, and each slice back-propagates its rows of that loss's
   * gradient.
   */
  GLOBAL
}
