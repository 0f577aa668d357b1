package org.ttcspark.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ttcspark.loss.BclConfig;
import org.ttcspark.loss.BclLoss;
import org.ttcspark.loss.Collapse;
import org.ttcspark.loss.ContrastiveBatch;
import org.ttcspark.loss.LogitAdjust;
import org.ttcspark.loss.LossResult;

/**
 * BCL's training objective (Zhu et al., CVPR 2022, {@code main.py}): three views per sample;
 * view 0 feeds a cosine classifier on the backbone feature, trained with the logit-adjusted
 * cross-entropy; views 1 and 2 feed BalSCL with the class centres, which are the classifier's
 * weight vectors passed through a head of their own and normalised:
 *
 * <pre>
 *   logits_ic = s * (h_i / |h_i|) . (w_c / |w_c|)        (NormedLinear, s = 30)
 *   centre_c  = normalise(A2 relu(A1 w_c + b1) + b2)      (the authors' head_fc)
 *   loss      = ce-weight * LogitAdjust(logits) + scl-weight * BalSCL(z, centres)
 * </pre>
 *
 * The classifier (w) and the centre head (A1, b1, A2, b2) live here, on the driver, and take an
 * SGD step with the encoder's learning rate every iteration; the classifier receives gradient
 * from both terms (directly through the logits, and through the centres). One departure: the
 * authors' head_fc has a BatchNorm between A1 and the ReLU, applied to the C = 2 weight
 * vectors as a batch; over two rows it maps every feature to about +-1 whatever the weights,
 * which is left out here. Initialisation as PyTorch: unit class vectors (the authors'
 * renorm), Linear weights and biases uniform in {@code +-1/sqrt(fan_in)}, seeded.
 */
public final class BclObjective implements DriverObjective {
  private static final double SCALE = 30;
  private static final int CLASSES = 2;

  private final BclLoss balScl;
  private final LogitAdjust crossEntropy;
  private final double ceWeight;
  private final double sclWeight;
  private final int projDim;
  private final int featDim;
  private final double[] w;
  private final double[] a1;
  private final double[] b1;
  private final double[] a2;
  private final double[] b2;
  private final DriverSgd sgd;
  private final PendingUpdate pending = new PendingUpdate();

  /**
   * @param cfg BCL's weights and counts
   * @param temperature BalSCL's temperature ({@code loss.temperature})
   * @param trainCounts the train split's class counts (used unless configured)
   * @param projDim D of the projections
   * @param featDim f of the backbone feature
   * @param momentum SGD momentum of the driver's parameters
   * @param weightDecay SGD weight decay of the driver's parameters
   * @param seed initialisation seed
   */
  public BclObjective(BclConfig cfg, double temperature, long[] trainCounts, int projDim,
      int featDim, double momentum, double weightDecay, long seed) {
    this.balScl = new BclLoss(temperature, null);
    this.crossEntropy = new LogitAdjust(cfg.countsOr(trainCounts), 1.0);
    this.ceWeight = cfg.ceWeight();
    this.sclWeight = cfg.sclWeight();
    this.projDim = projDim;
    this.featDim = featDim;
    SplittableRandom rng = new SplittableRandom(seed);
    this.w = uniform(rng, CLASSES * featDim, 1);
    for (int c = 0; c < CLASSES; c++) {
      double n = norm(w, c * featDim, featDim);
      for (int k = 0; k < featDim; k++) {
        w[c * featDim + k] /= n;
      }
    }
    double bound = 1 / Math.sqrt(featDim);
    this.a1 = uniform(rng, featDim * featDim, bound);
    this.b1 = uniform(rng, featDim, bound);
    this.a2 = uniform(rng, projDim * featDim, bound);
    this.b2 = uniform(rng, projDim, bound);
    this.sgd = new DriverSgd(momentum, weightDecay);
  }

  @Override
  public int views() {
    return 3;
  }

  @Override
  public SliceLoss.Result step(List<SliceLoss.Slice> slices, double learningRate) {
    pending.checkNone();
    int width = projDim + featDim;
    GlobalBatch batch = GlobalBatch.of(slices, 3, width);
    int b = batch.batch();
    float[] grad = new float[batch.rows().length];
    double[] gw = new double[w.length];

    // view 0: the classifier's logit-adjusted cross-entropy
    float[] h = batch.columns(0, projDim, featDim);
    double[] hn = new double[b * featDim];
    double[] hNorm = normalizeRows(h, hn, b, featDim);
    double[] wn = new double[w.length];
    double[] wNorm = normalizeRows(w, wn, CLASSES, featDim);
    float[] logits = new float[b * CLASSES];
    for (int i = 0; i < b; i++) {
      for (int c = 0; c < CLASSES; c++) {
        logits[i * CLASSES + c] = (float) (SCALE * dot(hn, i, wn, c, featDim));
      }
    }
    LossResult ce = crossEntropy.compute(logits, batch.labels());
    double[] dhn = new double[hn.length];
    double[] dwn = new double[wn.length];
    for (int i = 0; i < b; i++) {
      for (int c = 0; c < CLASSES; c++) {
        double g = ceWeight * SCALE * ce.grad()[i * CLASSES + c];
        for (int k = 0; k < featDim; k++) {
          dhn[i * featDim + k] += g * wn[c * featDim + k];
          dwn[c * featDim + k] += g * hn[i * featDim + k];
        }
      }
    }
    float[] dh = new float[h.length];
    normalizeBackward(hn, hNorm, dhn, b, featDim, dh, null);
    batch.addColumns(grad, 0, projDim, featDim, dh, 1);
    normalizeBackward(wn, wNorm, dwn, CLASSES, featDim, null, gw);

    // views 1 and 2: BalSCL with the class centres
    double[] r = new double[CLASSES * featDim];
    double[] pre = new double[CLASSES * projDim];
    float[] centres = centres(r, pre);
    float[] z = new float[2 * b * projDim];
    System.arraycopy(batch.columns(1, 0, projDim), 0, z, 0, b * projDim);
    System.arraycopy(batch.columns(2, 0, projDim), 0, z, b * projDim, b * projDim);
    ContrastiveBatch views = ContrastiveBatch.of(z, b, 2, projDim, batch.labels(), null);
    BclLoss.Result scl = balScl.compute(views, centres);
    for (int v = 0; v < 2; v++) {
      float[] gz = new float[b * projDim];
      System.arraycopy(scl.grad(), v * b * projDim, gz, 0, b * projDim);
      batch.addColumns(grad, v + 1, 0, projDim, gz, sclWeight);
    }
    double[] ga1 = new double[a1.length];
    double[] gb1 = new double[b1.length];
    double[] ga2 = new double[a2.length];
    double[] gb2 = new double[b2.length];
    centreBackward(scl.centreGrad(), centres, r, pre, gw, ga1, gb1, ga2, gb2);

    pending.hold(() -> sgd.step(List.of(w, a1, b1, a2, b2), List.of(gw, ga1, gb1, ga2, gb2),
        learningRate));
    double loss = ceWeight * ce.loss() + sclWeight * scl.loss();
    BatchStats stats = BatchStats.of(Collapse.meanCosine(z, 2 * b, projDim), Double.NaN);
    return new SliceLoss.Result(loss, batch.scatter(grad, slices), stats);
  }

  @Override
  public void finishStep(boolean apply) {
    pending.finish(apply);
  }

  /**
   * The class centres {@code [C, D]} from the current weights; keeps the hidden activations
   * ({@code r}, after the ReLU) and the pre-normalisation outputs for the backward pass.
   */
  float[] centres(double[] r, double[] pre) {
    float[] out = new float[CLASSES * projDim];
    for (int c = 0; c < CLASSES; c++) {
      for (int j = 0; j < featDim; j++) {
        double s = b1[j];
        for (int k = 0; k < featDim; k++) {
          s += a1[j * featDim + k] * w[c * featDim + k];
        }
        r[c * featDim + j] = Math.max(0, s);
      }
      for (int j = 0; j < projDim; j++) {
        double s = b2[j];
        for (int k = 0; k < featDim; k++) {
          s += a2[j * featDim + k] * r[c * featDim + k];
        }
        pre[c * projDim + j] = s;
      }
      double n = Math.max(norm(pre, c * projDim, projDim), 1e-12);
      for (int j = 0; j < projDim; j++) {
        out[c * projDim + j] = (float) (pre[c * projDim + j] / n);
      }
    }
    return out;
  }

  private void centreBackward(float[] dCentre, float[] centres, double[] r, double[] pre,
      double[] gw, double[] ga1, double[] gb1, double[] ga2, double[] gb2) {
    for (int c = 0; c < CLASSES; c++) {
      double n = Math.max(norm(pre, c * projDim, projDim), 1e-12);
      double dotYg = 0;
      for (int j = 0; j < projDim; j++) {
        dotYg += centres[c * projDim + j] * (double) dCentre[c * projDim + j];
      }
      double[] dPre = new double[projDim];
      for (int j = 0; j < projDim; j++) {
        dPre[j] = sclWeight * (dCentre[c * projDim + j] - centres[c * projDim + j] * dotYg) / n;
      }
      double[] dr = new double[featDim];
      for (int j = 0; j < projDim; j++) {
        gb2[j] += dPre[j];
        for (int k = 0; k < featDim; k++) {
          ga2[j * featDim + k] += dPre[j] * r[c * featDim + k];
          dr[k] += a2[j * featDim + k] * dPre[j];
        }
      }
      for (int j = 0; j < featDim; j++) {
        if (r[c * featDim + j] <= 0) {
          continue;
        }
        gb1[j] += dr[j];
        for (int k = 0; k < featDim; k++) {
          ga1[j * featDim + k] += dr[j] * w[c * featDim + k];
          gw[c * featDim + k] += a1[j * featDim + k] * dr[j];
        }
      }
    }
  }

  /** Row norms of {@code x} ({@code [n, d]}), writing the unit rows into {@code out}. */
  private static double[] normalizeRows(Object x, double[] out, int n, int d) {
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double v = x instanceof float[] f ? f[i * d + k] : ((double[]) x)[i * d + k];
        out[i * d + k] = v;
        s += v * v;
      }
      norms[i] = Math.max(Math.sqrt(s), 1e-12);
      for (int k = 0; k < d; k++) {
        out[i * d + k] /= norms[i];
      }
    }
    return norms;
  }

  /** {@code dx = (dy - y (y . dy)) / |x|} for {@code y = x / |x|}, into a float or double array. */
  private static void normalizeBackward(double[] y, double[] norms, double[] dy, int n, int d,
      float[] intoFloat, double[] addInto) {
    for (int i = 0; i < n; i++) {
      double yg = 0;
      for (int k = 0; k < d; k++) {
        yg += y[i * d + k] * dy[i * d + k];
      }
      for (int k = 0; k < d; k++) {
        double g = (dy[i * d + k] - y[i * d + k] * yg) / norms[i];
        if (intoFloat != null) {
          intoFloat[i * d + k] = (float) g;
        } else {
          addInto[i * d + k] += g;
        }
      }
    }
  }

  private static double dot(double[] x, int i, double[] y, int j, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      s += x[i * d + k] * y[j * d + k];
    }
    return s;
  }

  private static double norm(double[] x, int from, int n) {
    double s = 0;
    for (int k = 0; k < n; k++) {
      s += x[from + k] * x[from + k];
    }
    return Math.sqrt(s);
  }

  private static double[] uniform(SplittableRandom rng, int n, double bound) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
    return out;
  }

  @Override
  public Map<String, double[]> state() {
    pending.checkNone();
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put("w", w.clone());
    state.put("a1", a1.clone());
    state.put("b1", b1.clone());
    state.put("a2", a2.clone());
    state.put("b2", b2.clone());
    sgd.saveTo(state, "sgd.v");
    return state;
  }

  @Override
  public void restore(Map<String, double[]> state) {
    DriverObjective.restoreInto(state, "w", w);
    DriverObjective.restoreInto(state, "a1", a1);
    DriverObjective.restoreInto(state, "b1", b1);
    DriverObjective.restoreInto(state, "a2", a2);
    DriverObjective.restoreInto(state, "b2", b2);
    sgd.restoreFrom(state, "sgd.v", w.length, a1.length, b1.length, a2.length, b2.length);
  }
}
