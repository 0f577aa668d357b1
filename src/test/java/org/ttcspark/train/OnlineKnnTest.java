package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ttcspark.metrics.ClassificationMetrics;

class OnlineKnnTest {
  /** Unit vectors at the given angles (radians). */
  private static float[][] at(double... angles) {
    float[][] z = new float[angles.length][];
    for (int i = 0; i < angles.length; i++) {
      z[i] = new float[] {(float) Math.cos(angles[i]), (float) Math.sin(angles[i])};
    }
    return z;
  }

  @Test
  void oneNearestNeighbourByHand() {
    // class 0 at 0, 0.1, 0.25; class 1 at 0.04 (among class 0), 3.0, 3.1.
    // nearest: 0->0.04 (wrong), 0.1->0.04 (wrong), 0.25->0.1, 0.04->0 (wrong), 3.0<->3.1
    float[][] z = at(0, 0.1, 0.25, 0.04, 3.0, 3.1);
    int[] labels = {0, 0, 0, 1, 1, 1};
    int[] subtypes = {0, 0, 1, -1, 5, 5};
    OnlineKnn.Scores s = OnlineKnn.leaveOneOut(z, labels, subtypes, 1);
    assertEquals(0.5, s.accuracy(), 1e-12);
    assertEquals((1.0 / 3 + 2.0 / 3) / 2, s.balancedAccuracy(), 1e-12);
    // scores (class-1 neighbours): 1, 1, 0, 0, 1, 1 -> Mann-Whitney 4.5 / 9
    assertEquals(0.5, s.auroc(), 1e-12);
    // same-class nearest: 0->0.1 (0 = 0), 0.1->0 (hit), 0.25->0.1 (0 != 1), 3.0<->3.1 (hits)
    assertEquals(4.0 / 5, s.subtypeAccuracy(), 1e-12);
    // classes tie at 3 rows: class 0 is the majority
    assertEquals(2.0 / 3, s.majoritySubtypeAccuracy(), 1e-12);
    assertEquals(6, s.samples());
  }

  @Test
  void aurocAgreesWithTheMetricsStage() {
    Random r = new Random(3);
    int n = 200;
    float[][] z = new float[n][];
    int[] labels = new int[n];
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      labels[i] = r.nextInt(5) == 0 ? 1 : 0;
      z[i] = new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()};
      scores[i] = r.nextInt(4) / 3.0;
    }
    assertEquals(ClassificationMetrics.auroc(labels, scores), OnlineKnn.auroc(labels, scores),
        1e-12);
  }

  @Test
  void separatedClassesScorePerfectly() {
    float[][] z = at(0, 0.01, 0.02, 0.03, 2, 2.01, 2.02);
    int[] labels = {0, 0, 0, 0, 1, 1, 1};
    OnlineKnn.Scores s = OnlineKnn.leaveOneOut(z, labels, null, 2);
    assertEquals(1.0, s.accuracy());
    assertEquals(1.0, s.balancedAccuracy());
    assertEquals(1.0, s.auroc());
    assertNull(s.subtypeAccuracy());
    assertNull(s.majoritySubtypeAccuracy());
  }

  @Test
  void issue13_aLargeKOnASmallBalancedSplitDoesNotTurnEveryVoteAgainstTheRow() {
    // Leaving a row out of a balanced split leaves its class one short: with k = all other rows
    // every vote went to the other class, and a random embedding scored accuracy and AUROC 0.
    Random r = new Random(11);
    int n = 400;
    float[][] z = new float[n][16];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int d = 0; d < 16; d++) {
        z[i][d] = (float) r.nextGaussian();
        norm += z[i][d] * z[i][d];
      }
      for (int d = 0; d < 16; d++) {
        z[i][d] /= (float) Math.sqrt(norm);
      }
      labels[i] = i % 2;
    }
    OnlineKnn.Scores s = OnlineKnn.leaveOneOut(z, labels, null, 10_000);
    assertTrue(s.balancedAccuracy() > 0.35 && s.balancedAccuracy() < 0.65,
        "random embedding near chance: " + s.balancedAccuracy());
    assertTrue(s.auroc() > 0.35 && s.auroc() < 0.65, "AUROC near chance: " + s.auroc());
  }

  @Test
  void nearestKeepsTheLargestSimilaritiesLowerIndexFirstOnTies() {
    double[] sim = {0.5, 0.9, 0.5, 0.1, 0.9, 0.7};
    assertArrayEquals(new int[] {1, 4, 5}, OnlineKnn.nearest(sim, 3, j -> true));
    assertArrayEquals(new int[] {4, 5, 0, 2}, OnlineKnn.nearest(sim, 4, j -> j != 1));
    assertArrayEquals(new int[] {3}, OnlineKnn.nearest(sim, 5, j -> j == 3));
  }

  @Test
  void rejectsMismatchedInput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnlineKnn.leaveOneOut(at(0, 1), new int[] {0}, null, 3));
    assertTrue(e.getMessage().contains("2 rows, 1 labels"), e.getMessage());
  }
}
