package org.ttcspark.loss;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import org.ttcspark.loss.impl.ContrastiveKernel;

/**
 * SBCL's bi-granularity loss (Hou et al., "Subclass-balancing Contrastive Learning for
 * Long-tailed Recognition", ICCV 2023). Every sample carries a subclass (cluster) id, unique
 * across classes. For anchor a of class y:
 *
 * <pre>
 * loss_a = -(tau/tau_b) * mean_{C(a)} log p  -  gamma * (class term)
 * </pre>
 *
 * where C(a) are the other rows of a's subclass and log p uses the SupCon denominator (every
 * other row). Class term of {@link SbclVariant#CCL}: mean of log p over the other rows of class
 * y. Of {@link SbclVariant#RANK}: mean over R(a) = other views and same-class rows of another
 * subclass of {@code log r}, with logits {@code z_a.z_b / tau_y} and a denominator over a's other
 * views and every row of another subclass. gamma is not scaled by tau/tau_b.
 */
public final class SbclLoss implements ContrastiveLoss {
  private static final long serialVersionUID = 1L;

  private final SbclVariant variant;
  private final double temperature;
  private final double baseTemperature;
  private final double gamma;
  private final double[] classTemperatures;

  /**
   * @param gamma weight of the class term, at least 0
   * @param classTemperatures {@code [2]} tau_c per class for {@link SbclVariant#RANK} (see
   *     {@link SbclTemperatures}); ignored (may be null) for {@link SbclVariant#CCL}
   */
  public SbclLoss(SbclVariant variant, double temperature, double baseTemperature, double gamma,
      double[] classTemperatures) {
    this.variant = variant;
    this.temperature = ContrastiveLoss.positive("sbcl.temperature", temperature);
    this.baseTemperature = ContrastiveLoss.positive("sbcl.base-temperature", baseTemperature);
    this.gamma = ContrastiveLoss.within("sbcl.gamma", gamma, 0, Double.MAX_VALUE);
    if (variant == SbclVariant.RANK) {
      if (classTemperatures == null || classTemperatures.length != 2) {
        throw new IllegalArgumentException("sbcl rank needs one temperature per class (2), got "
            + (classTemperatures == null ? "none" : classTemperatures.length));
      }
      for (int c = 0; c < 2; c++) {
        ContrastiveLoss.positive("temperature of class " + c, classTemperatures[c]);
      }
      this.classTemperatures = classTemperatures.clone();
    } else {
      this.classTemperatures = null;
    }
  }

  @Override
  public String method() {
    return "sbcl";
  }

  /**
   * The subclass term is NT-Xent's {@code (tau/tau_b) log(n - 1)}. The class term: CCL's
   * denominator is every other row too, {@code gamma log(n - 1)}; RANK's holds the anchor's
   * other views and the rows of other subclasses, {@code gamma log((V-1) + V (B - B_s))} with
   * B_s the samples of the anchor's subclass, averaged over the anchors. Empty for one view.
   */
  @Override
  public OptionalDouble collapsedLoss(ContrastiveBatch batch) {
    if (batch.views() < 2) {
      return OptionalDouble.empty();
    }
    int n = batch.rows();
    double subclass = temperature / baseTemperature * Math.log(n - 1.0);
    if (variant == SbclVariant.CCL) {
      return OptionalDouble.of(subclass + gamma * Math.log(n - 1.0));
    }
    int[] clusters = batch.requireClusters("sbcl");
    Map<Integer, Integer> size = new HashMap<>();
    for (int c : clusters) {
      size.merge(c, 1, Integer::sum);
    }
    int b = batch.batch();
    int v = batch.views();
    double sum = 0;
    for (int c : clusters) {
      sum += Math.log(v - 1 + (double) v * (b - size.get(c)));
    }
    return OptionalDouble.of(subclass + gamma * sum / b);
  }

  @Override
  public LossResult compute(ContrastiveBatch batch, long drawSeed) {
    int[] labels = batch.requireLabels("sbcl");
    int[] clusters = batch.requireClusters("sbcl");
    int b = batch.batch();
    int n = batch.rows();
    ContrastiveKernel kernel = new ContrastiveKernel(batch.z(), n, batch.dim(), null);
    double coef = temperature / baseTemperature;
    int[] sameCluster = new int[n];
    int[] classPos = new int[n];
    int[] den = new int[n];
    int[] rowLabel = KclLoss.perRow(labels, n);
    int[] rowCluster = KclLoss.perRow(clusters, n);
    for (int a = 0; a < n; a++) {
      int sample = a % b;
      int y = labels[sample];
      int cl = clusters[sample];
      int nCluster = 0;
      int nClass = 0;
      int nDen = 0;
      if (variant == SbclVariant.RANK) {
        nClass = KclLoss.otherViews(a, b, n, classPos);
        System.arraycopy(classPos, 0, den, 0, nClass);
        nDen = nClass;
      }
      for (int c = 0; c < n; c++) {
        if (c == a) {
          continue;
        }
        boolean sameSub = rowCluster[c] == cl;
        if (sameSub) {
          sameCluster[nCluster++] = c;
        }
        if (variant == SbclVariant.CCL) {
          if (rowLabel[c] == y) {
            classPos[nClass++] = c;
          }
        } else if (!sameSub) {
          den[nDen++] = c;
          if (rowLabel[c] == y) {
            classPos[nClass++] = c;
          }
        }
      }
      kernel.anchor(a);
      kernel.denominatorAllOthers(temperature, false, 0);
      kernel.positives(coef, sameCluster, nCluster, -1);
      if (variant == SbclVariant.CCL) {
        kernel.positives(gamma, classPos, nClass, -1);
      } else {
        // the reference computes with float32 class temperatures
        kernel.denominatorOf((float) classTemperatures[y], den, nDen);
        kernel.positives(gamma, classPos, nClass, -1);
      }
    }
    return kernel.finish();
  }
}
