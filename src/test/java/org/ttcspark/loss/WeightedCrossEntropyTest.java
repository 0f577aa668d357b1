package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightedCrossEntropyTest {
  @Test
  void weightsAreInverseCountsSummingToOne() {
    WeightedCrossEntropy ce = WeightedCrossEntropy.fromCounts(new long[] {90, 10});
    assertEquals(0.1, ce.weights()[0], 1e-15);
    assertEquals(0.9, ce.weights()[1], 1e-15);
  }

  /*
   * Reference (PyTorch semantics, by hand): logits [[2, 0], [0, 1], [1, 1]], labels [0, 1, 1],
   * weights [0.1, 0.9]: per-sample -log p = [log(1+e^-2), log(1+e^-1), log 2];
   * loss = (0.1*l0 + 0.9*l1 + 0.9*l2) / 1.9.
   */
  @Test
  void lossIsTheWeightedMeanOfTheNegativeLogLikelihoods() {
    WeightedCrossEntropy ce = WeightedCrossEntropy.fromCounts(new long[] {90, 10});
    LossResult r = ce.compute(new float[] {2, 0, 0, 1, 1, 1}, new int[] {0, 1, 1});
    double expected = (0.1 * Math.log1p(Math.exp(-2)) + 0.9 * Math.log1p(Math.exp(-1))
        + 0.9 * Math.log(2)) / 1.9;
    assertEquals(expected, r.loss(), 1e-12);
    // gradient of sample 2 (label 1, p = [0.5, 0.5]): 0.9/1.9 * ([0.5, 0.5] - [0, 1])
    assertEquals(0.9 / 1.9 * 0.5, r.grad()[4], 1e-7);
    assertEquals(-0.9 / 1.9 * 0.5, r.grad()[5], 1e-7);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    WeightedCrossEntropy ce = WeightedCrossEntropy.fromCounts(new long[] {7, 3});
    float[] x = {0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 0.1f, 1.5f, 1.4f};
    int[] y = {0, 1, 1, 0};
    float[] g = ce.compute(x, y).grad();
    for (int i = 0; i < x.length; i++) {
      float[] p = x.clone();
      float[] m = x.clone();
      p[i] += 1e-2f;
      m[i] -= 1e-2f;
      double fd = (ce.compute(p, y).loss() - ce.compute(m, y).loss()) / (p[i] - m[i]);
      assertEquals(fd, g[i], 1e-4, "logit " + i);
    }
  }

  @Test
  void rejectsBadInput() {
    WeightedCrossEntropy ce = WeightedCrossEntropy.fromCounts(new long[] {7, 3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ce.compute(new float[] {0, 1, 0}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("3 values"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ce.compute(new float[] {0, Float.NaN}, new int[] {0}));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> WeightedCrossEntropy.fromCounts(new long[] {7, 0}));
    assertTrue(e.getMessage().contains("class 1 has 0 training samples"), e.getMessage());
  }
}
