package org.ttcspark.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binary classification scores of a probe, computed exactly from labels, predictions and
 * scores (the same definitions as scikit-learn's {@code roc_auc_score},
 * {@code balanced_accuracy_score} and {@code f1_score}).
 *
 * @param accuracy fraction of correct predictions
 * @param balancedAccuracy (TPR + TNR) / 2
 * @param auroc area under the ROC curve of the class-1 score; ties count one half
 * @param f1 F1 per class, index 0 and 1 (0 when the class is never predicted nor present)
 * @param minorityClass the class whose F1 is reported as the minority F1
 * @param confusion {@code [true class][predicted class]} counts
 */
public record ClassificationMetrics(double accuracy, double balancedAccuracy, double auroc,
    double[] f1, int minorityClass, long[][] confusion) {

  /** F1 of the minority class. */
  public double minorityF1() {
    return f1[minorityClass];
  }

  /** Mean of the two classes' F1. */
  public double macroF1() {
    return (f1[0] + f1[1]) / 2;
  }

  /**
   * Scores predictions against the truth.
   *
   * @param truth {@code [n]} labels 0/1
   * @param predicted {@code [n]} predicted labels 0/1
   * @param score {@code [n]} score of class 1 (probability or margin), for the AUROC
   * @param minorityClass which class's F1 is the minority F1
   * @throws IllegalArgumentException for different lengths, no rows or a label outside 0/1
   */
  public static ClassificationMetrics of(int[] truth, int[] predicted, double[] score,
      int minorityClass) {
    if (truth.length != predicted.length || truth.length != score.length || truth.length == 0) {
      throw new IllegalArgumentException("need as many predictions and scores as labels, and "
          + "at least one: got " + truth.length + " labels, " + predicted.length
          + " predictions, " + score.length + " scores");
    }
    long[][] cm = confusion(truth, predicted);
    long n = truth.length;
    double accuracy = (double) (cm[0][0] + cm[1][1]) / n;
    double balanced = (recall(cm, 0) + recall(cm, 1)) / 2;
    double[] f1 = {f1(cm, 0), f1(cm, 1)};
    return new ClassificationMetrics(accuracy, balanced, auroc(truth, score), f1, minorityClass,
        cm);
  }

  /** {@code [true][predicted]} counts. */
  public static long[][] confusion(int[] truth, int[] predicted) {
    long[][] cm = new long[2][2];
    for (int i = 0; i < truth.length; i++) {
      if ((truth[i] | predicted[i]) >>> 1 != 0) {
        throw new IllegalArgumentException("row " + i + ": label " + truth[i] + ", prediction "
            + predicted[i] + "; binary labels are 0 and 1");
      }
      cm[truth[i]][predicted[i]]++;
    }
    return cm;
  }

  /**
   * The Mann-Whitney form of the AUROC: P(s_pos &gt; s_neg) + P(s_pos = s_neg) / 2, computed
   * from average ranks in O(n log n). NaN when only one class is present.
   */
  public static double auroc(int[] truth, double[] score) {
    Integer[] order = new Integer[truth.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
    double positiveRankSum = 0;
    long positives = 0;
    for (int lo = 0; lo < order.length;) {
      int hi = lo;
      while (hi + 1 < order.length && score[order[hi + 1]] == score[order[lo]]) {
        hi++;
      }
      double averageRank = (lo + hi) / 2.0 + 1; // ranks are 1-based; ties share the mean
      for (int i = lo; i <= hi; i++) {
        if (truth[order[i]] == 1) {
          positiveRankSum += averageRank;
          positives++;
        }
      }
      lo = hi + 1;
    }
    long negatives = truth.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (positiveRankSum - positives * (positives + 1) / 2.0)
        / ((double) positives * negatives);
  }

  /** The report as a JSON object (numbers, F1 per class, confusion rows by true class). */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy);
    m.put("balanced_accuracy", balancedAccuracy);
    m.put("auroc", Double.isNaN(auroc) ? null : auroc);
    m.put("minority_class", minorityClass);
    m.put("minority_f1", minorityF1());
    m.put("macro_f1", macroF1());
    m.put("f1", byClass(f1[0], f1[1]));
    Map<String, Object> cm = new LinkedHashMap<>();
    cm.put("rows", "true class");
    cm.put("columns", "predicted class");
    cm.put("counts", confusion);
    m.put("confusion", cm);
    return m;
  }

  /** {@code {"0": a, "1": b}}, in that order. */
  public static <T> Map<String, T> byClass(T class0, T class1) {
    Map<String, T> m = new LinkedHashMap<>();
    m.put("0", class0);
    m.put("1", class1);
    return m;
  }

  private static double recall(long[][] cm, int c) {
    long support = cm[c][0] + cm[c][1];
    return support == 0 ? 0 : (double) cm[c][c] / support;
  }

  /** 2TP / (2TP + FP + FN), 0 when the denominator is 0 (scikit-learn's zero_division=0). */
  private static double f1(long[][] cm, int c) {
    long tp = cm[c][c];
    long fp = cm[1 - c][c];
    long fn = cm[c][1 - c];
    long den = 2 * tp + fp + fn;
    return den == 0 ? 0 : 2.0 * tp / den;
  }
}
