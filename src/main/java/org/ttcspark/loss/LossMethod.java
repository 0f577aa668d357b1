package org.ttcspark.loss;

/** The contrastive losses of {@code loss.method}; configuration words are lower case. */
public enum LossMethod {
  SIMCLR, SUPCON, SUPMIN, SUPPROTO, SBCL, KCL, TSC;

  /** True when the loss reads class labels. */
  public boolean usesLabels() {
    return this != SIMCLR;
  }

  /** True when the loss needs the two class prototypes. */
  public boolean usesPrototypes() {
    return this == SUPPROTO || this == TSC;
  }

  /** True when the loss needs a subclass (cluster) id per sample. */
  public boolean usesClusters() {
    return this == SBCL;
  }
}
