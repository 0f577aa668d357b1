package org.ttcspark.loss;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.ttcspark.loss.impl.ContrastiveKernel;

/**
 * KCL (k-positive contrastive learning, Kang et al., ICLR 2021) and TSC (targeted supervised
 * contrastive learning, Li et al., CVPR 2022), the long-tail baselines of the authors' loss
 * module. Positives of anchor a: its other views plus k rows of other samples of its class,
 * chosen by a {@link PositiveSelection} (all of them when fewer exist). TSC also makes the
 * anchor's class prototype a positive and puts both prototypes into the denominator.
 */
public final class KclLoss implements ContrastiveLoss {
  private static final long serialVersionUID = 1L;

  private final double temperature;
  private final double baseTemperature;
  private final int k;
  private final PositiveSelection selection;
  private final Prototypes prototypes;

  private KclLoss(double temperature, double baseTemperature, int k, PositiveSelection selection,
      Prototypes prototypes) {
    this.temperature = ContrastiveLoss.positive("temperature", temperature);
    this.baseTemperature = ContrastiveLoss.positive("base-temperature", baseTemperature);
    if (k < 1) {
      throw new IllegalArgumentException("kcl.k is " + k + "; it must be at least 1");
    }
    this.k = k;
    this.selection = selection;
    this.prototypes = prototypes;
  }

  /** KCL with k positives chosen by {@code selection}. */
  public static KclLoss kcl(double temperature, double baseTemperature, int k,
      PositiveSelection selection) {
    return new KclLoss(temperature, baseTemperature, k, selection, null);
  }

  /** TSC: KCL plus the class prototypes ({@code [2, D]}, row c for class c). */
  public static KclLoss tsc(double temperature, double baseTemperature, int k,
      PositiveSelection selection, Prototypes prototypes) {
    if (prototypes == null) {
      throw new IllegalArgumentException("tsc needs prototypes [2, D]");
    }
    return new KclLoss(temperature, baseTemperature, k, selection, prototypes);
  }

  @Override
  public String method() {
    return prototypes == null ? "kcl" : "tsc";
  }

  @Override
  public LossResult compute(ContrastiveBatch batch, long drawSeed) {
    int[] labels = batch.requireLabels(method());
    boolean tsc = prototypes != null;
    if (tsc) {
      checkPrototypeDim(prototypes, batch);
    }
    int b = batch.batch();
    int n = batch.rows();
    ContrastiveKernel kernel = new ContrastiveKernel(batch.z(), n, batch.dim(),
        tsc ? prototypes.rows() : null);
    SplittableRandom random = new SplittableRandom(drawSeed);
    double coef = temperature / baseTemperature;
    int[] pos = new int[n];
    int[] candidates = new int[n];
    int[] rowLabel = perRow(labels, n);
    for (int a = 0; a < n; a++) {
      int sample = a % b;
      int y = labels[sample];
      int count = 0;
      for (int c = 0; c < n; c++) {
        if (rowLabel[c] == y && c % b != sample) {
          candidates[count++] = c;
        }
      }
      int chosen = selection.choose(candidates, count, k, random);
      int np = otherViews(a, b, n, pos);
      System.arraycopy(candidates, 0, pos, np, chosen);
      kernel.anchor(a);
      kernel.denominatorAllOthers(temperature, tsc, 0);
      kernel.positives(coef, pos, np + chosen, tsc ? y : -1);
    }
    return kernel.finish();
  }

  /**
   * KCL: {@code (tau/tau_b) log(V*B - 1)}. TSC: the denominator also holds both prototypes and
   * the positives the anchor's own, so at the collapse point m anchor a of class y adds
   * {@code coef (log((n-1) e^{1/tau} + sum_c e^{m.pi_c/tau}) - ((P-1) + m.pi_y) / (P tau))}
   * with P = its positive count (other views, the chosen same-class rows, the prototype).
   * Empty for one view.
   */
  @Override
  public OptionalDouble collapsedLoss(ContrastiveBatch batch) {
    if (batch.views() < 2) {
      return OptionalDouble.empty();
    }
    double coef = temperature / baseTemperature;
    int n = batch.rows();
    if (prototypes == null) {
      return OptionalDouble.of(coef * Math.log(n - 1.0));
    }
    int[] labels = batch.requireLabels(method());
    checkPrototypeDim(prototypes, batch);
    double[] m = Collapse.point(batch);
    double[] sim = {Collapse.prototypeSimilarity(m, prototypes, 0),
        Collapse.prototypeSimilarity(m, prototypes, 1)};
    int[] perClass = new int[2];
    for (int y : labels) {
      perClass[y]++;
    }
    // log-sum-exp shifted by the largest logit, 1/tau (|m.pi| <= 1 for unit prototypes)
    double lse = 1 / temperature + Math.log(n - 1 + Math.exp((sim[0] - 1) / temperature)
        + Math.exp((sim[1] - 1) / temperature));
    int v = batch.views();
    double sum = 0;
    for (int y : labels) {
      int candidates = v * (perClass[y] - 1);
      int chosen = selection == PositiveSelection.ALL ? candidates : Math.min(k, candidates);
      int p = v - 1 + chosen + 1;
      sum += lse - ((p - 1) + sim[y]) / (p * temperature);
    }
    return OptionalDouble.of(coef * sum / labels.length);
  }

  /** Writes the rows of the other views of row a's sample into {@code out}; returns V - 1. */
  static int otherViews(int a, int b, int n, int[] out) {
    int count = 0;
    for (int r = a % b; r < n; r += b) {
      if (r != a) {
        out[count++] = r;
      }
    }
    return count;
  }

  /** The per-sample values repeated for each of the {@code n / B} views (row r: sample r % B). */
  static int[] perRow(int[] perSample, int n) {
    int[] out = new int[n];
    for (int r = 0; r < n; r++) {
      out[r] = perSample[r % perSample.length];
    }
    return out;
  }

  static void checkPrototypeDim(Prototypes prototypes, ContrastiveBatch batch) {
    if (prototypes.dim() != batch.dim()) {
      throw new IllegalArgumentException("prototypes have dimension " + prototypes.dim()
          + " but the features " + batch.dim());
    }
  }
}
