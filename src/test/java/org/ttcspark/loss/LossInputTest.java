package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input gets one clear error; edge cases that are valid get the reference's value. */
class LossInputTest {
  private static final float[] Z = RandomBatches.unitRows(8, 4, 1);
  private static final int[] LABELS = {0, 1, 0, 0};

  private static void assertRejected(Executable call, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
    }
  }

  @Test
  void rejectsRowsThatAreNotUnitLength() {
    float[] z = Z.clone();
    z[4 * 2] *= 1.01f;
    assertRejected(() -> ContrastiveBatch.of(z, 4, 2, 4, LABELS, null),
        "view 0 of sample 2", "L2 norm", "normalise");
  }

  @Test
  void acceptsRowsWithinTheUnitTolerance() {
    float[] z = Z.clone();
    for (int j = 0; j < 4; j++) {
      z[j] *= 1.0005f;
    }
    assertEquals(8, ContrastiveBatch.of(z, 4, 2, 4, LABELS, null).rows());
  }

  @Test
  void rejectsNaNAndInfinity() {
    float[] z = Z.clone();
    z[5 * 4 + 1] = Float.NaN;
    assertRejected(() -> ContrastiveBatch.of(z, 4, 2, 4, LABELS, null), "NaN",
        "view 1 of sample 1", "finite");
    z[5 * 4 + 1] = Float.POSITIVE_INFINITY;
    assertRejected(() -> ContrastiveBatch.of(z, 4, 2, 4, LABELS, null), "Infinity");
  }

  @Test
  void rejectsLabelsOtherThanZeroAndOne() {
    assertRejected(() -> ContrastiveBatch.of(Z, 4, 2, 4, new int[] {0, 2, 0, 1}, null),
        "label of sample 1 is 2", "0 or 1");
  }

  @Test
  void rejectsShapeMismatches() {
    assertRejected(() -> ContrastiveBatch.of(Z, 4, 2, 5, LABELS, null), "32 values", "40");
    assertRejected(() -> ContrastiveBatch.of(Z, 4, 2, 4, new int[] {0, 1, 0}, null),
        "labels hold 3 values", "4 samples");
    assertRejected(() -> ContrastiveBatch.of(Z, 4, 2, 4, LABELS, new int[] {1, 2}),
        "cluster ids hold 2 values");
    assertRejected(() -> KclLoss.tsc(0.1, 0.1, 3, PositiveSelection.ALL,
        Prototypes.random(5, 1)).compute(ContrastiveBatch.of(Z, 4, 2, 4, LABELS, null), 0),
        "dimension 5", "features 4");
  }

  @Test
  void rejectsBatchesOfFewerThanTwoSamples() {
    assertRejected(() -> ContrastiveBatch.of(new float[] {1, 0, 0, 1}, 1, 2, 2, null, null),
        "batch size is 1", "at least 2");
  }

  @Test
  void rejectsTemperaturesAndMarginsOutOfRange() {
    assertRejected(() -> SupConLoss.supcon(0, 0.07), "temperature is 0.0", "greater than 0");
    assertRejected(() -> SupConLoss.supcon(0.07, Double.NaN), "base-temperature is NaN");
    assertRejected(() -> SupConLoss.supmin(0.07, 0.07, 1, 1.5), "ratio-supervised-majority");
    assertRejected(() -> SupConLoss.supmin(0.07, 0.07, 2, 0.0), "minority-class is 2.0");
    assertRejected(() -> new SupProtoLoss(0.07, 0.07, -0.1, 1, 1, Prototypes.random(4, 1)),
        "eps-0 is -0.1", "between 0.0 and 2.0");
    assertRejected(() -> new SupProtoLoss(0.07, 0.07, 1, 1, 0, Prototypes.random(4, 1)),
        "negatives-weight is 0.0");
    assertRejected(() -> new SbclLoss(SbclVariant.RANK, 0.1, 0.07, 0.25, new double[] {0.1}),
        "one temperature per class");
    assertRejected(() -> new SbclLoss(SbclVariant.RANK, 0.1, 0.07, 0.25,
        new double[] {0.1, -1}), "temperature of class 1 is -1.0");
    assertRejected(() -> KclLoss.kcl(0.1, 0.1, 0, PositiveSelection.RANDOM), "kcl.k is 0");
  }

  @Test
  void rejectsMissingLabelsClustersAndSharedClusterIds() {
    ContrastiveBatch unlabelled = ContrastiveBatch.of(Z, 4, 2, 4, null, null);
    assertRejected(() -> SupConLoss.supcon(0.1, 0.1).compute(unlabelled, 0),
        "supcon needs labels");
    assertRejected(() -> new SbclLoss(SbclVariant.CCL, 0.1, 0.1, 0.25, null)
        .compute(ContrastiveBatch.of(Z, 4, 2, 4, LABELS, null), 0), "sbcl needs subclass");
    assertRejected(() -> ContrastiveBatch.of(Z, 4, 2, 4, LABELS, new int[] {3, 3, 4, 4}),
        "cluster id 3 is used by both classes");
    assertRejected(() -> ContrastiveBatch.of(Z, 4, 2, 4, LABELS, new int[] {0, -1, 4, 4}),
        "cluster id of sample 1 is -1");
  }

  @Test
  void supMinWithNoOrOneMinoritySampleEqualsSimClr() {
    SupConLoss simclr = SupConLoss.simclr(0.07, 0.07);
    SupConLoss supmin = SupConLoss.supmin(0.07, 0.07, 1, 0.0);
    for (int[] labels : new int[][] {{0, 0, 0, 0}, {0, 0, 1, 0}}) {
      ContrastiveBatch b = ContrastiveBatch.of(Z, 4, 2, 4, labels, null);
      LossResult expected = simclr.compute(b, 0);
      LossResult actual = supmin.compute(b, 0);
      assertEquals(expected.loss(), actual.loss(), 0);
      assertArrayEquals(expected.grad(), actual.grad(), 0f);
    }
  }

  @Test
  void supMinWithRatioOneOrUnsetEqualsSupCon() {
    ContrastiveBatch b = RandomBatches.batch(9, 2, 5, 3, 2);
    double supcon = SupConLoss.supcon(0.07, 0.07).compute(b, 0).loss();
    assertEquals(supcon, SupConLoss.supmin(0.07, 0.07, 1, 1.0).compute(b, 3).loss(), 0);
    assertEquals(supcon, SupConLoss.supmin(0.07, 0.07, 1, null).compute(b, 4).loss(), 0);
  }

  @Test
  void supMinMajoritySubsetIsSeeded() {
    ContrastiveBatch b = RandomBatches.batch(12, 2, 5, 2, 3);
    SupConLoss loss = SupConLoss.supmin(0.07, 0.07, 1, 0.5);
    assertEquals(loss.compute(b, 7).loss(), loss.compute(b, 7).loss(), 0);
    assertNotEquals(loss.compute(b, 7).loss(), loss.compute(b, 8).loss());
  }

  @Test
  void singleViewAnchorsWithoutPositivesCountInTheMeanAsZero() {
    // SimCLR with one view: nobody has a positive, so the loss and gradient are 0, not NaN
    ContrastiveBatch b = ContrastiveBatch.of(RandomBatches.unitRows(4, 4, 2), 4, 1, 4, null,
        null);
    LossResult r = SupConLoss.simclr(0.07, 0.07).compute(b, 0);
    assertEquals(0, r.loss(), 0);
    for (float g : r.grad()) {
      assertEquals(0f, g, 0f);
    }
  }

  @Test
  void kclWithKAboveTheCandidatesEqualsAllAndSupCon() {
    ContrastiveBatch b = RandomBatches.batch(8, 2, 5, 3, 4);
    double supcon = SupConLoss.supcon(0.1, 0.1).compute(b, 0).loss();
    assertEquals(supcon, KclLoss.kcl(0.1, 0.1, 100, PositiveSelection.RANDOM).compute(b, 1)
        .loss(), 1e-12);
    assertEquals(supcon, KclLoss.kcl(0.1, 0.1, 1, PositiveSelection.ALL).compute(b, 1).loss(),
        1e-12);
  }

  @Test
  void dataPrototypesPointAwayFromTheMeanProjection() {
    float[] z = {1, 0, 0.6f, 0.8f, 0.8f, 0.6f};
    Prototypes p = Prototypes.fromData(z, 3, 2);
    double norm = Math.hypot(2.4, 1.4);
    assertEquals(-2.4 / norm, p.rows()[0], 1e-6);
    assertEquals(-1.4 / norm, p.rows()[1], 1e-6);
    assertEquals(2.4 / norm, p.rows()[2], 1e-6);
    assertRejected(() -> Prototypes.fromData(new float[] {1, 0, -1, 0}, 2, 2),
        "cannot normalise");
  }
}
