package org.ttcspark.metrics;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-class sums from which every representation metric is a ratio: mergeable, so that blocks
 * of rows are summed on the executors and only this small object travels to the driver.
 *
 * <p>For class c with n_c rows (all views) and m_c samples:
 * <ul>
 *   <li>SAA_c = 100 * (rows whose nearest other row is a view of the same sample) / n_c;</li>
 *   <li>CAC_c = 100 * mean over rows of (same-label rows among the k nearest others) / k;</li>
 *   <li>SAD_c = sum over samples and views v >= 1 of d(view 0, view v) / (m_c (V - 1));</li>
 *   <li>CAD_c = (1/n_c) sum_r (1/n_c) sum_{s in c} d(r, s) = (sum over ordered pairs of class
 *       c, the diagonal included) / n_c^2, so one scalar per class is enough;</li>
 *   <li>GPU_c = mean over pairs i &lt; j of exp(-t d^2) = (sum over ordered pairs i != j)
 *       / (n_c (n_c - 1)).</li>
 * </ul>
 * Counts are integers and exact. The floating-point sums depend on the order of addition, so
 * callers merge in a fixed order (by block index) to make results reproducible bit for bit.
 * Not thread-safe.
 */
public final class RepresentationAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int CLASSES = 2;

  private final StackLayout layout;
  private final long[] rows = new long[CLASSES];
  private final long[] saaHits = new long[CLASSES];
  private final long[] cacSame = new long[CLASSES];
  private final long[] cacSlots = new long[CLASSES];
  private final double[] cadSum = new double[CLASSES];
  private final double[] gpuSum = new double[CLASSES];
  private final double[] sadSum = new double[CLASSES];
  private final long[] sadPairs = new long[CLASSES];
  private final long[] subtypeRows = new long[CLASSES];
  private final long[] subtypeHits = new long[CLASSES];

  /** An empty accumulator for embeddings stacked as {@code layout}. */
  public RepresentationAccumulator(StackLayout layout) {
    this.layout = layout;
  }

  public StackLayout layout() {
    return layout;
  }

  /**
   * Adds the neighbour outcome of one row.
   *
   * @param label the row's class
   * @param aligned whether its nearest other row is a view of the same sample
   * @param sameLabel how many of its kept neighbours share its label
   * @param kept how many neighbours were kept (k, fewer only when N - 1 &lt; k)
   */
  public void addNeighbours(int label, boolean aligned, int sameLabel, int kept) {
    rows[label]++;
    saaHits[label] += aligned ? 1 : 0;
    cacSame[label] += sameLabel;
    cacSlots[label] += kept;
  }

  /** Adds distance sums of rows of class {@code label} (see the class comment). */
  public void addDistances(int label, double cad, double gpu, double sad, long sadCount) {
    cadSum[label] += cad;
    gpuSum[label] += gpu;
    sadSum[label] += sad;
    sadPairs[label] += sadCount;
  }

  /** Adds whether a row's nearest same-class row of another sample has the row's sub-type. */
  public void addSubtype(int label, boolean sameSubtype) {
    subtypeRows[label]++;
    subtypeHits[label] += sameSubtype ? 1 : 0;
  }

  /**
   * Adds {@code other} into this accumulator.
   *
   * @throws IllegalArgumentException if the two describe differently shaped stacks
   */
  public RepresentationAccumulator merge(RepresentationAccumulator other) {
    if (!layout.equals(other.layout)) {
      throw new IllegalArgumentException("cannot merge metric sums of " + other.layout
          + " into sums of " + layout + ": they come from differently shaped embeddings");
    }
    for (int c = 0; c < CLASSES; c++) {
      rows[c] += other.rows[c];
      saaHits[c] += other.saaHits[c];
      cacSame[c] += other.cacSame[c];
      cacSlots[c] += other.cacSlots[c];
      cadSum[c] += other.cadSum[c];
      gpuSum[c] += other.gpuSum[c];
      sadSum[c] += other.sadSum[c];
      sadPairs[c] += other.sadPairs[c];
      subtypeRows[c] += other.subtypeRows[c];
      subtypeHits[c] += other.subtypeHits[c];
    }
    return this;
  }

  /** The metrics; a class without rows (or pairs) gets {@code null}. */
  public RepresentationMetrics result() {
    Double[] saa = new Double[CLASSES];
    Double[] cac = new Double[CLASSES];
    Double[] sad = new Double[CLASSES];
    Double[] cad = new Double[CLASSES];
    Double[] gpu = new Double[CLASSES];
    Double[] subtype = new Double[CLASSES];
    for (int c = 0; c < CLASSES; c++) {
      saa[c] = rows[c] == 0 || layout.views() < 2 ? null : 100.0 * saaHits[c] / rows[c];
      cac[c] = cacSlots[c] == 0 ? null : 100.0 * cacSame[c] / cacSlots[c];
      sad[c] = sadPairs[c] == 0 ? null : sadSum[c] / sadPairs[c];
      cad[c] = rows[c] == 0 ? null : cadSum[c] / ((double) rows[c] * rows[c]);
      gpu[c] = rows[c] < 2 ? null : gpuSum[c] / ((double) rows[c] * (rows[c] - 1));
      subtype[c] = subtypeRows[c] == 0 ? null : 100.0 * subtypeHits[c] / subtypeRows[c];
    }
    boolean anySubtype = Arrays.stream(subtypeRows).sum() > 0;
    return new RepresentationMetrics(layout.rows(), layout.views(), layout.k(),
        PerClass.of(saa), PerClass.of(cac), PerClass.of(sad), PerClass.of(cad),
        PerClass.of(gpu), anySubtype ? PerClass.of(subtype) : null);
  }
}
