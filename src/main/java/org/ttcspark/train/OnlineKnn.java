package org.ttcspark.train;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The online evaluation's k-NN classifier, leave-one-out on one split's unit-length embeddings
 * (as solo-learn's online k-NN, but without a train-split bank: the val split alone costs one
 * extra forward pass of a small split per epoch, where a bank would cost a pass over the whole
 * train split). Each row is classified by the plain vote of its k nearest other rows by cosine
 * similarity; its score for AUROC is the fraction of those neighbours of class 1; a tied vote
 * goes to the nearest neighbour's class. Sub-type accuracy: whether the plain vote of the
 * sub-types of the k nearest same-class other rows names the row's own sub-type (the paper's
 * sub-type k-NN, with k neighbours instead of 1). Pure, O(n^2 D); kept apart from the metrics
 * stage, which {@code train} does not import.
 */
public final class OnlineKnn {
  private OnlineKnn() {}

  /**
   * One evaluation, fractions in [0, 1].
   *
   * @param accuracy fraction of rows whose vote is their class
   * @param balancedAccuracy mean over the classes present of the per-class recall
   * @param auroc of the class-1 vote fraction; NaN with one class only
   * @param subtypeAccuracy over rows with a sub-type and a same-class neighbour; null if none
   * @param majoritySubtypeAccuracy the same over the majority class's rows only (the class with
   *     more rows; class 0 on a tie); null if none
   * @param samples rows evaluated
   */
  public record Scores(double accuracy, double balancedAccuracy, double auroc,
      Double subtypeAccuracy, Double majoritySubtypeAccuracy, long samples) {}

  /**
   * Evaluates leave-one-out.
   *
   * @param z {@code [n][D]} unit-length rows (cosine = dot product), n at least 2
   * @param labels {@code [n]} 0 or 1
   * @param subtypes {@code [n]} sub-type within the class, negative for none; or null
   * @param k neighbours, at least 1; at most a quarter of the other rows are used (below)
   * @throws IllegalArgumentException on mismatched lengths, fewer than 2 rows or k below 1
   */
  public static Scores leaveOneOut(float[][] z, int[] labels, int[] subtypes, int k) {
    int n = z.length;
    if (n < 2 || labels.length != n || (subtypes != null && subtypes.length != n) || k < 1) {
      throw new IllegalArgumentException("online k-NN needs at least 2 rows with one label "
          + "(and sub-type) each and k >= 1; got " + n + " rows, " + labels.length + " labels, "
          + (subtypes == null ? "no" : subtypes.length) + " sub-types, k = " + k);
    }
    int[] perClass = new int[2];
    for (int y : labels) {
      perClass[y]++;
    }
    int majority = perClass[1] > perClass[0] ? 1 : 0;
    // With k near n the vote counts the rest of the split rather than the neighbourhood: on a
    // balanced split leaving a row out tips every vote to the other class (accuracy and AUROC
    // 0 on any embedding). A quarter of the other rows keeps the vote local.
    int neighbours = Math.min(k, Math.max(1, (n - 1) / 4));
    double[] score = new double[n];
    long[] hits = new long[2];
    long subRows = 0;
    long subHits = 0;
    long majRows = 0;
    long majHits = 0;
    double[] sim = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        sim[j] = dot(z[i], z[j]);
      }
      final int self = i;
      int[] near = nearest(sim, neighbours, j -> j != self);
      int m = near.length;
      int ones = 0;
      for (int j : near) {
        ones += labels[j];
      }
      score[i] = (double) ones / m;
      int vote = 2 * ones > m ? 1 : 2 * ones < m ? 0 : labels[near[0]];
      hits[labels[i]] += vote == labels[i] ? 1 : 0;
      if (subtypes != null && subtypes[i] >= 0) {
        int[] sameClass = nearest(sim, neighbours,
            j -> j != self && labels[j] == labels[self] && subtypes[j] >= 0);
        Boolean hit = subtypeVote(sameClass, subtypes[i], subtypes);
        if (hit != null) {
          subRows++;
          subHits += hit ? 1 : 0;
          if (labels[i] == majority) {
            majRows++;
            majHits += hit ? 1 : 0;
          }
        }
      }
    }
    double recall = 0;
    int present = 0;
    for (int c = 0; c < 2; c++) {
      if (perClass[c] > 0) {
        recall += (double) hits[c] / perClass[c];
        present++;
      }
    }
    return new Scores((double) (hits[0] + hits[1]) / n, recall / present, auroc(labels, score),
        subRows == 0 ? null : (double) subHits / subRows,
        majRows == 0 ? null : (double) majHits / majRows, n);
  }

  /**
   * The accepted rows of the k largest similarities, nearest first (ties: lower index first),
   * by insertion into a sorted array of at most k: O(n k) at worst, O(n) typically.
   */
  static int[] nearest(double[] sim, int k, IntPredicate accept) {
    int[] top = new int[k];
    int size = 0;
    for (int j = 0; j < sim.length; j++) {
      if (!accept.test(j) || (size == k && sim[j] <= sim[top[k - 1]])) {
        continue; // equal similarity: the earlier (lower) index stays ahead
      }
      int at = size < k ? size++ : k - 1;
      while (at > 0 && sim[top[at - 1]] < sim[j]) {
        top[at] = top[at - 1];
        at--;
      }
      top[at] = j;
    }
    return Arrays.copyOf(top, size);
  }

  /** Whether the sub-type vote of {@code near} (nearest first) names {@code own}; null if empty. */
  private static Boolean subtypeVote(int[] near, int own, int[] subtypes) {
    if (near.length == 0) {
      return null;
    }
    Map<Integer, Integer> votes = new HashMap<>();
    for (int j : near) {
      votes.merge(subtypes[j], 1, Integer::sum);
    }
    int best = votes.values().stream().max(Integer::compare).orElseThrow();
    if (votes.getOrDefault(own, 0) < best) {
      return false;
    }
    // a tie among the top sub-types goes to the nearest neighbour's
    long top = votes.values().stream().filter(v -> v == best).count();
    return top == 1 || subtypes[near[0]] == own;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (double) a[j] * b[j];
    }
    return s;
  }

  /** Mann-Whitney AUROC from average ranks (ties count half); NaN with one class only. */
  static double auroc(int[] truth, double[] score) {
    int n = truth.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
    double rankSum = 0;
    long positives = 0;
    for (int lo = 0; lo < n;) {
      int hi = lo;
      while (hi + 1 < n && score[order[hi + 1]] == score[order[lo]]) {
        hi++;
      }
      double rank = (lo + hi) / 2.0 + 1;
      for (int t = lo; t <= hi; t++) {
        if (truth[order[t]] == 1) {
          rankSum += rank;
          positives++;
        }
      }
      lo = hi + 1;
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }
}
