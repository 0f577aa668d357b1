package org.ttcspark.loss;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Logit-adjusted cross-entropy (Menon et al., "Long-tail learning via logit adjustment", ICLR
 * 2021), BCL's classification branch ({@code loss/logitadjust.py}, {@code LogitAdjust}): the
 * plain mean cross-entropy of {@code x + tau log pi}, pi the training class shares. Adding the
 * log prior during training makes the unadjusted logits estimate the balanced posterior, so the
 * classifier is not pulled towards the majority class. Gradient:
 * {@code (softmax(x + tau log pi) - onehot) / B}.
 */
public final class LogitAdjust implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] shift;

  /**
   * @param classCounts training samples per class, at least 1 each, at least 2 classes
   * @param tau scale of the adjustment, at least 0 (the authors: 1)
   */
  public LogitAdjust(long[] classCounts, double tau) {
    ContrastiveLoss.within("logit-adjust tau", tau, 0, Double.MAX_VALUE);
    double[] p = classShares(classCounts);
    shift = new double[p.length];
    for (int c = 0; c < p.length; c++) {
      shift[c] = tau * Math.log(p[c]);
    }
  }

  /**
   * {@code n_c / sum n}.
   *
   * @throws IllegalArgumentException unless there are at least 2 counts, each at least 1
   */
  public static double[] classShares(long[] classCounts) {
    if (classCounts == null || classCounts.length < 2) {
      throw new IllegalArgumentException("the class counts must hold one training count per "
          + "class (at least 2), got " + Arrays.toString(classCounts));
    }
    double total = 0;
    for (int c = 0; c < classCounts.length; c++) {
      if (classCounts[c] < 1) {
        throw new IllegalArgumentException("class " + c + " has " + classCounts[c]
            + " training samples in the class counts " + Arrays.toString(classCounts)
            + "; every class needs at least 1");
      }
      total += classCounts[c];
    }
    double[] p = new double[classCounts.length];
    for (int c = 0; c < p.length; c++) {
      p[c] = classCounts[c] / total;
    }
    return p;
  }

  /**
   * Loss and gradient.
   *
   * @param logits row-major {@code [B, C]}, finite
   * @param labels {@code [B]} classes in {@code [0, C)}
   * @return the loss and {@code dloss/dlogits} {@code [B, C]}
   */
  public LossResult compute(float[] logits, int[] labels) {
    int classes = shift.length;
    int b = labels.length;
    if (b < 1 || logits.length != (long) b * classes) {
      throw new IllegalArgumentException("logits hold " + logits.length + " values but "
          + b + " labels x " + classes + " classes were expected");
    }
    double loss = 0;
    float[] grad = new float[logits.length];
    double[] x = new double[classes];
    for (int i = 0; i < b; i++) {
      int y = labels[i];
      if (y < 0 || y >= classes) {
        throw new IllegalArgumentException("label of sample " + i + " is " + y
            + "; it must be in [0, " + classes + ")");
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        x[c] = logits[i * classes + c] + shift[c];
        if (!Double.isFinite(x[c])) {
          throw new IllegalArgumentException("logit " + c + " of sample " + i + " is "
              + logits[i * classes + c] + "; cross-entropy needs finite logits");
        }
        max = Math.max(max, x[c]);
      }
      double target = x[y] - max;
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        x[c] = Math.exp(x[c] - max);
        sum += x[c];
      }
      loss += Math.log(sum) - target;
      for (int c = 0; c < classes; c++) {
        grad[i * classes + c] = (float) ((x[c] / sum - (c == y ? 1 : 0)) / b);
      }
    }
    return new LossResult(loss / b, grad);
  }
}
