package org.ttcspark.loss.impl;

import org.ttcspark.loss.LossResult;

/**
 * The shared engine of every contrastive loss: one Gram matrix product, then per anchor one or
 * more softmax terms in O(n) each, then one product for the gradient.
 *
 * <p>Every term has the form {@code loss_a += coef * (lse_a - mean_{p in P} l_ap)} with logits
 * {@code l_ac = s_ac / tau}, {@code s = z z^T} and {@code lse_a = log(w * sum_{c in Den} exp l_ac)}.
 * Its derivative with respect to {@code s_ac} is {@code coef / tau * (softmax_ac [c in Den] -
 * [c in P] / |P|)}; these are collected in {@code G} ({@code [n, n]}) and, for prototype columns,
 * in {@code GP} ({@code [n, 2]}). Since {@code s} is symmetric and {@code ds_ac/dz_a = z_c},
 * {@code dL/dZ = (G + G^T) Z / n + GP P / n}: the symmetry turns two gradient products into one.
 *
 * <p>Precision: projections, Gram matrix and gradient are float32 (what BigDL's tensors hold and
 * twice as fast as float64 in the two products, which dominate); logits, exponentials, sums and
 * the loss are float64, so cancellation in the log-sum-exp and in the means never costs more
 * than float32 rounding of the inputs (measured ~1e-7 relative against the float64 reference).
 *
 * <p>Usage per call: {@link #anchor}, then {@link #denominatorAllOthers} or
 * {@link #denominatorOf}, then {@link #positives} (repeatable, also after a new denominator),
 * for every anchor; then {@link #finish}. Not thread-safe; one instance per call.
 */
public final class ContrastiveKernel {
  private final int n;
  private final int d;
  private final float[] z;
  private final float[] prototypes;
  private final int protoCount;
  private final float[] s;
  private final float[] g;
  private final double[] sp;
  private final double[] gp;
  private final double[] x;
  private final double[] e;
  private int[] denCols; // read during positives() only: callers may reuse their arrays after
  private int denCount;
  private boolean denAll;
  private boolean denProtos;
  private double denTau;
  private double denSum;
  private double lse;
  private int a = -1;
  private double lossSum;

  /**
   * @param z row-major {@code [n, d]} projections (not copied, not modified)
   * @param prototypes row-major {@code [k, d]} extra columns, or null for none
   */
  public ContrastiveKernel(float[] z, int n, int d, float[] prototypes) {
    this.n = n;
    this.d = d;
    this.z = z;
    this.prototypes = prototypes;
    this.protoCount = prototypes == null ? 0 : prototypes.length / d;
    this.s = new float[n * n];
    this.g = new float[n * n];
    Blas.gram(z, n, d, s);
    this.sp = new double[n * protoCount];
    this.gp = new double[n * protoCount];
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < protoCount; k++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += (double) z[r * d + j] * prototypes[k * d + j];
        }
        sp[r * protoCount + k] = dot;
      }
    }
    this.x = new double[n + protoCount];
    this.e = new double[n + protoCount];
  }

  /** Raw similarity {@code z_r . z_c}. */
  public double similarity(int r, int c) {
    return s[r * n + c];
  }

  /** Raw similarity {@code z_r . prototype_k}. */
  public double prototypeSimilarity(int r, int k) {
    return sp[r * protoCount + k];
  }

  /** Starts anchor row {@code row}; rows may come in any order, each once. */
  public void anchor(int row) {
    a = row;
    denCount = -1;
  }

  /**
   * The denominator over every other row (and both prototypes when {@code withPrototypes}).
   *
   * @param logWeight added to the log-sum-exp: log of {@code negatives-weight}, 0 for none
   */
  public void denominatorAllOthers(double tau, boolean withPrototypes, double logWeight) {
    int base = a * n;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < n; c++) {
      double v = s[base + c] / tau;
      x[c] = v;
      if (c != a && v > max) {
        max = v;
      }
    }
    int len = n;
    if (withPrototypes) {
      for (int k = 0; k < protoCount; k++) {
        double v = sp[a * protoCount + k] / tau;
        x[n + k] = v;
        max = Math.max(max, v);
      }
      len += protoCount;
    }
    for (int c = 0; c < len; c++) {
      x[c] -= max;
    }
    x[a] = 0;
    Blas.exp(x, e, len);
    e[a] = 0;
    double sum = 0;
    for (int c = 0; c < len; c++) {
      sum += e[c];
    }
    setDenominator(tau, sum, max, logWeight, true, withPrototypes, null, n);
  }

  /** The denominator over the given sample rows only ({@code cols[0..count)}, never the anchor). */
  public void denominatorOf(double tau, int[] cols, int count) {
    int base = a * n;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < count; i++) {
      double v = s[base + cols[i]] / tau;
      x[i] = v;
      max = Math.max(max, v);
    }
    for (int i = 0; i < count; i++) {
      x[i] -= max;
    }
    Blas.exp(x, e, count);
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += e[i];
    }
    setDenominator(tau, sum, max, 0, false, false, cols, count);
  }

  private void setDenominator(double tau, double sum, double max, double logWeight, boolean all,
      boolean protos, int[] cols, int count) {
    denTau = tau;
    denSum = sum;
    lse = max + Math.log(sum) + logWeight;
    denAll = all;
    denProtos = protos;
    denCols = cols;
    denCount = count;
  }

  /**
   * Adds {@code coef * (lse - mean of the positive logits)} for the current anchor and
   * denominator. An empty positive set adds nothing (the anchor still counts in the mean).
   *
   * @param cols positive sample rows {@code cols[0..count)}
   * @param prototype index of a positive prototype column, or -1
   */
  public void positives(double coef, int[] cols, int count, int prototype) {
    int np = count + (prototype >= 0 ? 1 : 0);
    if (np == 0 || coef == 0) {
      return;
    }
    int base = a * n;
    double sum = 0;
    float step = (float) (coef / (np * denTau));
    for (int i = 0; i < count; i++) {
      int c = cols[i];
      sum += s[base + c];
      g[base + c] -= step;
    }
    if (prototype >= 0) {
      sum += sp[a * protoCount + prototype];
      gp[a * protoCount + prototype] -= coef / (np * denTau);
    }
    lossSum += coef * (lse - sum / (np * denTau));
    addSoftmax(coef);
  }

  /** Adds {@code coef / tau * softmax_ac} over the current denominator to the gradient. */
  private void addSoftmax(double coef) {
    double w = coef / (denSum * denTau);
    int base = a * n;
    if (denAll) {
      for (int c = 0; c < n; c++) {
        g[base + c] += (float) (w * e[c]);
      }
      if (denProtos) {
        for (int k = 0; k < protoCount; k++) {
          gp[a * protoCount + k] += w * e[n + k];
        }
      }
    } else {
      for (int i = 0; i < denCount; i++) {
        g[base + denCols[i]] += (float) (w * e[i]);
      }
    }
  }

  /** The mean loss over all {@code n} anchors and its gradient {@code [n, d]}. */
  public LossResult finish() {
    // s is no longer needed: it becomes H = G + G^T
    for (int r = 0; r < n; r++) {
      s[r * n + r] = 2 * g[r * n + r];
      for (int c = r + 1; c < n; c++) {
        float h = g[r * n + c] + g[c * n + r];
        s[r * n + c] = h;
        s[c * n + r] = h;
      }
    }
    float[] grad = new float[n * d];
    Blas.symmetricTimes(s, z, n, d, 1f / n, grad);
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < protoCount; k++) {
        double w = gp[r * protoCount + k] / n;
        if (w != 0) {
          for (int j = 0; j < d; j++) {
            grad[r * d + j] += (float) (w * prototypes[k * d + j]);
          }
        }
      }
    }
    return new LossResult(lossSum / n, grad);
  }
}
