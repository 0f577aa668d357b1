package org.ttcspark.loss;

import java.util.OptionalDouble;
import org.ttcspark.loss.impl.ContrastiveKernel;

/**
 * SupProto (Mildenberger et al., "A Tale of Two Classes", CVPR 2025): NT-Xent plus a pull of each
 * anchor towards its class prototype while it is not yet closer to it than to the other one by a
 * margin. Positives of anchor a: its other views, plus prototype {@code pi_y} when
 * {@code z_a.pi_y <= z_a.pi_{1-y} + eps_y} (raw dot products). The denominator holds the sample
 * rows only, multiplied by {@code negatives-weight}; prototypes never enter it. The pull is
 * switched on or off per anchor (no gradient flows through the condition).
 */
public final class SupProtoLoss implements ContrastiveLoss {
  private static final long serialVersionUID = 1L;
  /** With unit prototypes the similarity gap lies in [-2, 2]: eps = 2 always pulls. */
  public static final double MAX_EPS = 2.0;

  private final double temperature;
  private final double baseTemperature;
  private final double[] eps;
  private final double negativesWeight;
  private final Prototypes prototypes;

  /**
   * @param eps0 margin of class 0, in [0, 2]
   * @param eps1 margin of class 1, in [0, 2]
   * @param negativesWeight factor of the denominator sum, greater than 0
   * @param prototypes {@code [2, D]}, row c for class c
   */
  public SupProtoLoss(double temperature, double baseTemperature, double eps0, double eps1,
      double negativesWeight, Prototypes prototypes) {
    this.temperature = ContrastiveLoss.positive("temperature", temperature);
    this.baseTemperature = ContrastiveLoss.positive("base-temperature", baseTemperature);
    this.eps = new double[] {ContrastiveLoss.within("eps-0", eps0, 0, MAX_EPS),
        ContrastiveLoss.within("eps-1", eps1, 0, MAX_EPS)};
    this.negativesWeight = ContrastiveLoss.positive("negatives-weight", negativesWeight);
    if (prototypes == null) {
      throw new IllegalArgumentException("supproto needs prototypes [2, D]");
    }
    this.prototypes = prototypes;
  }

  @Override
  public String method() {
    return "supproto";
  }

  /**
   * At the collapse point m, anchor a of class y adds {@code coef log(w (n-1))} (the NT-Xent
   * part) plus, while its prototype pulls ({@code m.pi_y <= m.pi_{1-y} + eps_y}),
   * {@code coef (1 - m.pi_y) / (V tau)}. Empty for one view.
   */
  @Override
  public OptionalDouble collapsedLoss(ContrastiveBatch batch) {
    if (batch.views() < 2) {
      return OptionalDouble.empty();
    }
    int[] labels = batch.requireLabels(method());
    KclLoss.checkPrototypeDim(prototypes, batch);
    double[] m = Collapse.point(batch);
    double[] sim = {Collapse.prototypeSimilarity(m, prototypes, 0),
        Collapse.prototypeSimilarity(m, prototypes, 1)};
    double coef = temperature / baseTemperature;
    double ntXent = Math.log(negativesWeight * (batch.rows() - 1.0));
    double sum = 0;
    for (int y : labels) {
      boolean pull = sim[y] <= sim[1 - y] + eps[y];
      sum += ntXent + (pull ? (1 - sim[y]) / (batch.views() * temperature) : 0);
    }
    return OptionalDouble.of(coef * sum / labels.length);
  }

  @Override
  public LossResult compute(ContrastiveBatch batch, long drawSeed) {
    int[] labels = batch.requireLabels(method());
    KclLoss.checkPrototypeDim(prototypes, batch);
    int b = batch.batch();
    int n = batch.rows();
    ContrastiveKernel kernel = new ContrastiveKernel(batch.z(), n, batch.dim(), prototypes.rows());
    double coef = temperature / baseTemperature;
    double logWeight = Math.log(negativesWeight);
    int[] pos = new int[batch.views()];
    for (int a = 0; a < n; a++) {
      int y = labels[a % b];
      int count = KclLoss.otherViews(a, b, n, pos);
      boolean pull = kernel.prototypeSimilarity(a, y)
          <= kernel.prototypeSimilarity(a, 1 - y) + eps[y];
      kernel.anchor(a);
      kernel.denominatorAllOthers(temperature, false, logWeight);
      kernel.positives(coef, pos, count, pull ? y : -1);
    }
    return kernel.finish();
  }
}
