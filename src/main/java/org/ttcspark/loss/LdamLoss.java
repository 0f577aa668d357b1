package org.ttcspark.loss;


/**
 * LDAM, the label-distribution-aware margin loss (Cao et al., NeurIPS 2019), as SBCL's second
 * stage trains its cosine classifier with it ({@code loss.py LDAMLoss}): the target logit is
 * lowered by a class margin {@code m_c = max_m * n_c^(-1/4) / max_j n_j^(-1/4)} (rarer classes
 * get larger margins), everything is scaled by s, and the cross-entropy is weighted per class
 * (PyTorch's weighted mean; the weights are the deferred re-weighting's, see
 * {@link ClassBalance}):
 *
 * <pre>
 *   u_ic = s (x_ic - [c = y_i] m_{y_i})
 *   loss = sum_i w_{y_i} (logsumexp_c u_ic - u_{i y_i}) / sum_i w_{y_i}
 *   dloss/dx_ic = s w_{y_i} (softmax(u_i)_c - [c = y_i]) / sum_i w_{y_i}
 * </pre>
 */
public final class LdamLoss implements ClassificationLoss {
  private static final long serialVersionUID = 1L;

  private final double[] margins;
  private final double scale;
  private final WeightedCrossEntropy crossEntropy;

  /**
   * @param classCounts training samples per class, each at least 1
   * @param maxMargin the largest margin (the rarest class's), greater than 0 (SBCL: 0.5)
   * @param scale s, greater than 0 (SBCL: 30)
   * @param weights per-class weights of the cross-entropy, greater than 0
   */
  public LdamLoss(long[] classCounts, double maxMargin, double scale, double[] weights) {
    ContrastiveLoss.positive("ldam max-margin", maxMargin);
    this.scale = ContrastiveLoss.positive("ldam scale", scale);
    LogitAdjust.classShares(classCounts);
    if (weights.length != classCounts.length) {
      throw new IllegalArgumentException("ldam has " + weights.length + " class weights for "
          + classCounts.length + " classes");
    }
    this.margins = new double[classCounts.length];
    double max = 0;
    for (int c = 0; c < margins.length; c++) {
      margins[c] = 1 / Math.sqrt(Math.sqrt(classCounts[c]));
      max = Math.max(max, margins[c]);
    }
    for (int c = 0; c < margins.length; c++) {
      margins[c] *= maxMargin / max;
    }
    this.crossEntropy = new WeightedCrossEntropy(weights);
  }

  /** The class margins m_c. */
  public double[] margins() {
    return margins.clone();
  }

  /**
   * Loss and gradient.
   *
   * @param logits row-major {@code [B, C]} (cosine logits in SBCL), finite
   * @param labels {@code [B]} classes in {@code [0, C)}
   * @return the loss and {@code dloss/dlogits} {@code [B, C]}
   */
  @Override
  public LossResult compute(float[] logits, int[] labels) {
    int classes = margins.length;
    if (logits.length != (long) labels.length * classes) {
      throw new IllegalArgumentException("logits hold " + logits.length + " values but "
          + labels.length + " labels x " + classes + " classes were expected");
    }
    float[] u = new float[logits.length];
    for (int i = 0; i < labels.length; i++) {
      for (int c = 0; c < classes; c++) {
        u[i * classes + c] = (float) (scale * (logits[i * classes + c]
            - (c == labels[i] ? margins[c] : 0)));
      }
    }
    LossResult r = crossEntropy.compute(u, labels);
    float[] g = r.grad();
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) (g[i] * scale);
    }
    return new LossResult(r.loss(), g);
  }
}
