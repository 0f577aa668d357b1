package org.ttcspark.loss;

import java.util.Arrays;

/**
 * Class-weighted cross-entropy, the supervised baseline of the paper: with {@code p = softmax(x_i)}
 * and weights w, {@code loss = sum_i w_{y_i} (-log p_{i,y_i}) / sum_i w_{y_i}} (PyTorch's
 * {@code CrossEntropyLoss(weight=w)} with mean reduction), and
 * {@code dloss/dx_ij = w_{y_i} (p_ij - [j = y_i]) / sum_i w_{y_i}}.
 *
 * @param weights {@code [C]} class weights, finite and greater than 0
 */
public record WeightedCrossEntropy(double[] weights) implements ClassificationLoss {
  /** @throws IllegalArgumentException unless there are at least 2 finite positive weights */
  public WeightedCrossEntropy {
    if (weights == null || weights.length < 2) {
      throw new IllegalArgumentException("cross-entropy needs a weight for each of at least 2 "
          + "classes, got " + (weights == null ? "none" : Arrays.toString(weights)));
    }
    for (int c = 0; c < weights.length; c++) {
      ContrastiveLoss.positive("weight of class " + c, weights[c]);
    }
    weights = weights.clone();
  }

  /**
   * Weights proportional to {@code 1 / n_c}, normalised to sum 1 (the paper's baseline).
   *
   * @param classCounts training samples per class, each at least 1
   */
  public static WeightedCrossEntropy fromCounts(long[] classCounts) {
    double[] w = new double[classCounts.length];
    double sum = 0;
    for (int c = 0; c < w.length; c++) {
      if (classCounts[c] < 1) {
        throw new IllegalArgumentException("class " + c + " has " + classCounts[c]
            + " training samples; class-weighted cross-entropy needs at least 1 per class");
      }
      w[c] = 1.0 / classCounts[c];
      sum += w[c];
    }
    for (int c = 0; c < w.length; c++) {
      w[c] /= sum;
    }
    return new WeightedCrossEntropy(w);
  }

  /**
   * Loss and gradient for a batch of logits.
   *
   * @param logits row-major {@code [B, C]}, finite
   * @param labels {@code [B]} classes in {@code [0, C)}
   * @return the loss and {@code dloss/dlogits} {@code [B, C]}
   */
  @Override
  public LossResult compute(float[] logits, int[] labels) {
    int classes = weights.length;
    int b = labels.length;
    if (b < 1 || logits.length != (long) b * classes) {
      throw new IllegalArgumentException("logits hold " + logits.length + " values but "
          + b + " labels x " + classes + " classes were expected");
    }
    double total = 0;
    for (int i = 0; i < b; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label of sample " + i + " is " + labels[i]
            + "; it must be in [0, " + classes + ")");
      }
      total += weights[labels[i]];
    }
    double loss = 0;
    float[] grad = new float[logits.length];
    double[] p = new double[classes];
    for (int i = 0; i < b; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        float x = logits[i * classes + j];
        if (!Float.isFinite(x)) {
          throw new IllegalArgumentException("logit " + j + " of sample " + i + " is " + x
              + "; cross-entropy needs finite logits");
        }
        max = Math.max(max, x);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        p[j] = Math.exp(logits[i * classes + j] - max);
        sum += p[j];
      }
      int y = labels[i];
      double w = weights[y] / total;
      loss += w * (Math.log(sum) - (logits[i * classes + y] - max));
      for (int j = 0; j < classes; j++) {
        grad[i * classes + j] = (float) (w * (p[j] / sum - (j == y ? 1 : 0)));
      }
    }
    return new LossResult(loss, grad);
  }
}
