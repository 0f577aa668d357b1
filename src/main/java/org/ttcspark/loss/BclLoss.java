package org.ttcspark.loss;

import java.util.OptionalDouble;

/**
 * BCL's balanced supervised contrastive term, BalSCL (Zhu et al., "Balanced Contrastive Learning
 * for Long-Tailed Visual Recognition", CVPR 2022). The {@code n = V*B} rows of the batch are
 * contrasted against themselves and the C class centres (class-complement); each column of the
 * denominator is divided by the batch count of its class (class-averaging), so that a class with
 * many rows in the batch does not dominate the softmax:
 *
 * <pre>
 *   l_ac  = f_a . f_c / T                     (f: the n rows, then the C centres)
 *   n_k   = V * |{i : y_i = k}| + 1           (rows plus the centre of class k)
 *   w_ac  = n_{y_c} - [c in P(a)]             (the anchor's own class excludes the anchor)
 *   P(a)  = {c != a : y_c = y_a}              (same-class rows and the anchor's centre)
 *   ell_a = log sum_{c != a} exp(l_ac) / w_ac  -  mean_{p in P(a)} l_ap
 *   loss  = mean over the n anchors
 * </pre>
 *
 * There is no base-temperature factor; the centres are anchors of nothing (they only appear as
 * columns). Derivative: {@code dloss/dl_ac = (q_ac - [c in P(a)] / |P(a)|) / n} with
 * {@code q_ac} the anchor's softmax weight of column c; since {@code l_ac} is bilinear, the rows
 * receive {@code sum_c G_ac f_c / T} as anchors and {@code sum_a G_ac f_a / T} as columns, the
 * centres only the latter. Everything is computed in float64; the batch is small next to the
 * encoder's cost, so a plain O(n^2 D) loop is enough.
 */
public final class BclLoss implements ContrastiveLoss {
  private static final long serialVersionUID = 1L;

  private final double temperature;
  private final Prototypes centres;

  /**
   * @param temperature T, greater than 0 (the authors use 0.07)
   * @param centres the class centres {@code [2, D]} exactly as the loss receives them (already
   *     normalised), for {@link #compute(ContrastiveBatch, long)}; may be null when only
   *     {@link #compute(ContrastiveBatch, float[])} is used (training passes the centres of the
   *     step)
   */
  public BclLoss(double temperature, Prototypes centres) {
    this.temperature = ContrastiveLoss.positive("temperature", temperature);
    this.centres = centres;
  }

  /**
   * Loss value and gradients with respect to the rows and the centres.
   *
   * @param loss the loss
   * @param grad {@code dloss/dz}, {@code [V*B, D]} view-major like the batch
   * @param centreGrad {@code dloss/dcentres}, {@code [C, D]}
   */
  public record Result(double loss, float[] grad, float[] centreGrad) {}

  @Override
  public String method() {
    return "bcl";
  }

  /** @throws IllegalArgumentException when no centres were given at construction */
  @Override
  public LossResult compute(ContrastiveBatch batch, long drawSeed) {
    if (centres == null) {
      throw new IllegalArgumentException("bcl needs the class centres [2, D] (--prototypes)");
    }
    Result r = compute(batch, centres.rows());
    return new LossResult(r.loss(), r.grad());
  }

  /**
   * At a collapse point every similarity is the same (centres included): each class then adds
   * {@code (number of its columns) / (their common weight) = 1} to the denominator, so
   * {@code ell_a = log C = log 2} for every anchor, whatever the batch's class mix.
   */
  @Override
  public OptionalDouble collapsedLoss(ContrastiveBatch batch) {
    batch.requireLabels(method());
    return OptionalDouble.of(Math.log(2));
  }

  /**
   * The loss with the given centres.
   *
   * @param batch labelled rows, any V
   * @param centreRows {@code [C, D]} row-major, C = 2 (the losses are binary), finite
   * @throws IllegalArgumentException on missing labels or centres of the wrong size
   */
  public Result compute(ContrastiveBatch batch, float[] centreRows) {
    int[] labels = batch.requireLabels(method());
    int b = batch.batch();
    int n = batch.rows();
    int d = batch.dim();
    int classes = 2;
    if (centreRows == null || centreRows.length != classes * d) {
      throw new IllegalArgumentException("bcl needs one class centre per class, [" + classes
          + ", " + d + "], but got " + (centreRows == null ? 0 : centreRows.length) + " values");
    }
    float[] z = batch.z();
    int m = n + classes;
    int[] colLabel = new int[m];
    for (int r = 0; r < n; r++) {
      colLabel[r] = labels[r % b];
    }
    for (int k = 0; k < classes; k++) {
      colLabel[n + k] = k;
    }
    int[] count = classCounts(labels, batch.views(), classes);
    double[] logits = new double[m];
    double[] g = new double[m];
    double[] gz = new double[n * d];
    double[] gc = new double[classes * d];
    double loss = 0;
    for (int a = 0; a < n; a++) {
      int y = colLabel[a];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < m; c++) {
        logits[c] = dot(z, a, c < n ? z : centreRows, c < n ? c : c - n, d) / temperature;
        max = Math.max(max, logits[c]);
      }
      double den = 0;
      double posSum = 0;
      int positives = 0;
      for (int c = 0; c < m; c++) {
        if (c == a) {
          g[c] = 0;
          continue;
        }
        boolean pos = colLabel[c] == y;
        g[c] = Math.exp(logits[c] - max) / (count[colLabel[c]] - (pos ? 1 : 0));
        den += g[c];
        if (pos) {
          posSum += logits[c];
          positives++;
        }
      }
      loss += Math.log(den) + max - posSum / positives;
      for (int c = 0; c < m; c++) {
        if (c == a) {
          continue;
        }
        double pos = colLabel[c] == y ? 1.0 / positives : 0;
        g[c] = (g[c] / den - pos) / (n * temperature);
        if (g[c] == 0) {
          continue;
        }
        float[] other = c < n ? z : centreRows;
        int row = c < n ? c : c - n;
        double[] target = c < n ? gz : gc;
        for (int j = 0; j < d; j++) {
          gz[a * d + j] += g[c] * other[row * d + j];
          target[row * d + j] += g[c] * z[a * d + j];
        }
      }
    }
    return new Result(loss / n, toFloats(gz), toFloats(gc));
  }

  /** {@code n_k}: rows of class k in the batch plus its centre. */
  static int[] classCounts(int[] labels, int views, int classes) {
    int[] count = new int[classes];
    for (int y : labels) {
      count[y] += views;
    }
    for (int k = 0; k < classes; k++) {
      count[k]++;
    }
    return count;
  }

  private static double dot(float[] x, int row, float[] y, int yRow, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      s += (double) x[row * d + j] * y[yRow * d + j];
    }
    return s;
  }

  static float[] toFloats(double[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) x[i];
    }
    return out;
  }
}
