package org.ttcspark.loss;

import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.ttcspark.loss.impl.ContrastiveKernel;

/**
 * SupCon (Khosla et al., NeurIPS 2020), SimCLR's NT-Xent (Chen et al., ICML 2020) and SupMin
 * (Mildenberger et al., "A Tale of Two Classes", CVPR 2025): the losses whose positives are the
 * other rows of the anchor's <i>group</i>, with every other row in the denominator.
 *
 * <ul>
 *   <li>SimCLR: a group per sample.
 *   <li>SupCon: a group per class.
 *   <li>SupMin with ratio r: all minority samples form one group; a random set S of
 *       {@code floor(r * n_majority)} majority samples (drawn with the call's seed) forms another;
 *       every other sample is a group of its own. r = 1 is SupCon, r = 0 supervises the minority
 *       only. With zero or one minority sample SupMin equals SimCLR.
 * </ul>
 */
public final class SupConLoss implements ContrastiveLoss {
  private static final long serialVersionUID = 1L;

  private enum Grouping { SAMPLE, CLASS, MINORITY }

  private final String method;
  private final Grouping grouping;
  private final double temperature;
  private final double baseTemperature;
  private final int minorityClass;
  private final double ratio;

  private SupConLoss(String method, Grouping grouping, double temperature,
      double baseTemperature, int minorityClass, double ratio) {
    this.method = method;
    this.grouping = grouping;
    this.temperature = ContrastiveLoss.positive("temperature", temperature);
    this.baseTemperature = ContrastiveLoss.positive("base-temperature", baseTemperature);
    this.minorityClass = (int) ContrastiveLoss.within("minority-class", minorityClass, 0, 1);
    this.ratio = ContrastiveLoss.within("ratio-supervised-majority", ratio, 0, 1);
  }

  /** SimCLR / NT-Xent: labels are not used. */
  public static SupConLoss simclr(double temperature, double baseTemperature) {
    return new SupConLoss("simclr", Grouping.SAMPLE, temperature, baseTemperature, 1, 0);
  }

  /** Standard SupCon. */
  public static SupConLoss supcon(double temperature, double baseTemperature) {
    return new SupConLoss("supcon", Grouping.CLASS, temperature, baseTemperature, 1, 1);
  }

  /**
   * SupMin.
   *
   * @param minorityClass 0 or 1
   * @param ratioSupervisedMajority in [0, 1]; null (unset) or 1 gives SupCon
   */
  public static SupConLoss supmin(double temperature, double baseTemperature, int minorityClass,
      Double ratioSupervisedMajority) {
    if (ratioSupervisedMajority == null || ratioSupervisedMajority == 1.0) {
      return new SupConLoss("supmin", Grouping.CLASS, temperature, baseTemperature,
          minorityClass, 1);
    }
    return new SupConLoss("supmin", Grouping.MINORITY, temperature, baseTemperature,
        minorityClass, ratioSupervisedMajority);
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public LossResult compute(ContrastiveBatch batch, long drawSeed) {
    int[] group = groups(batch, drawSeed);
    int b = batch.batch();
    int n = batch.rows();
    // rows of each group, ascending; group ids are below b + 2
    int groups = b + 2;
    int[] start = new int[groups + 1];
    for (int r = 0; r < n; r++) {
      start[group[r % b] + 1]++;
    }
    for (int k = 0; k < groups; k++) {
      start[k + 1] += start[k];
    }
    int[] members = new int[n];
    int[] fill = start.clone();
    for (int r = 0; r < n; r++) {
      members[fill[group[r % b]]++] = r;
    }
    ContrastiveKernel kernel = new ContrastiveKernel(batch.z(), n, batch.dim(), null);
    double coef = temperature / baseTemperature;
    int[] pos = new int[n];
    for (int a = 0; a < n; a++) {
      int k = group[a % b];
      int count = 0;
      for (int i = start[k]; i < start[k + 1]; i++) {
        if (members[i] != a) {
          pos[count++] = members[i];
        }
      }
      kernel.anchor(a);
      kernel.denominatorAllOthers(temperature, false, 0);
      kernel.positives(coef, pos, count, -1);
    }
    return kernel.finish();
  }

  /**
   * {@code (tau/tau_b) log(V*B - 1)}: every anchor has its other views as positives, every
   * other row in its denominator. Empty for one view.
   */
  @Override
  public OptionalDouble collapsedLoss(ContrastiveBatch batch) {
    if (batch.views() < 2) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(temperature / baseTemperature
        * Math.log(batch.rows() - 1.0));
  }

  /** Group id in {@code [0, B + 2)} per sample. */
  private int[] groups(ContrastiveBatch batch, long drawSeed) {
    int b = batch.batch();
    int[] group = new int[b];
    switch (grouping) {
      case SAMPLE:
        for (int i = 0; i < b; i++) {
          group[i] = i;
        }
        return group;
      case CLASS:
        int[] labels = batch.requireLabels(method);
        for (int i = 0; i < b; i++) {
          group[i] = labels[i];
        }
        return group;
      default:
        return minorityGroups(batch.requireLabels(method), drawSeed);
    }
  }

  /** Minority samples: group B; the chosen majority subset: group B + 1; others: their index. */
  private int[] minorityGroups(int[] labels, long drawSeed) {
    int b = labels.length;
    int[] majority = new int[b];
    int nMajority = 0;
    for (int i = 0; i < b; i++) {
      if (labels[i] != minorityClass) {
        majority[nMajority++] = i;
      }
    }
    int chosen = (int) Math.floor(ratio * nMajority);
    SplittableRandom random = new SplittableRandom(drawSeed);
    for (int i = 0; i < chosen; i++) { // partial Fisher-Yates: majority[0..chosen) is S
      int j = i + random.nextInt(nMajority - i);
      int t = majority[i];
      majority[i] = majority[j];
      majority[j] = t;
    }
    int[] group = new int[b];
    boolean[] inS = new boolean[b];
    for (int i = 0; i < chosen; i++) {
      inS[majority[i]] = true;
    }
    for (int i = 0; i < b; i++) {
      group[i] = labels[i] == minorityClass ? b : inS[i] ? b + 1 : i;
    }
    return group;
  }
}
