package org.ttcspark.loss;

/** The contrastive losses of {@code loss.method}; configuration words are lower case. */
public enum LossMethod {
  SIMCLR, SUPCON, SUPMIN, SUPPROTO, SBCL, KCL, TSC, BCL, PACO;

  /** True when the loss reads class labels. */
  public boolean usesLabels() {
    return this != SIMCLR;
  }

  /** True when the loss needs the two class prototypes (BCL: its class centres). */
  public boolean usesPrototypes() {
    return this == SUPPROTO || this == TSC || this == BCL;
  }

  /**
   * True for the methods that train a classifier next to the projection head and need the
   * whole batch on the driver ({@code train.loss-scope = global}): BCL's logit-adjusted
   * cross-entropy branch, PaCo's parametric class centres, momentum keys and queue.
   */
  public boolean trainsClassifier() {
    return this == BCL || this == PACO;
  }

  /** True when the loss needs a subclass (cluster) id per sample. */
  public boolean usesClusters() {
    return this == SBCL;
  }
}
