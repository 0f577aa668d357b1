package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CollapseTest {
  private static final int B = 16;
  private static final int V = 2;
  private static final int D = 8;

  /** The batch of {@link RandomBatches#batch} with every row replaced by {@code point}. */
  private static ContrastiveBatch collapsed(float[] point) {
    ContrastiveBatch shape = RandomBatches.batch(B, V, D, 5, 1);
    float[] z = new float[V * B * D];
    for (int r = 0; r < V * B; r++) {
      System.arraycopy(point, 0, z, r * D, D);
    }
    return ContrastiveBatch.of(z, B, V, D, shape.labels(), shape.clusters());
  }

  private static float[] axis() {
    float[] e = new float[D];
    e[0] = 1;
    return e;
  }

  @Test
  void issue13CollapsedNtXentBatchGivesLogOfTwoBMinusOneThroughTheRealLoss() {
    ContrastiveBatch batch = collapsed(axis());
    double expected = Math.log(2 * B - 1);
    for (ContrastiveLoss loss : List.of(SupConLoss.simclr(0.1, 0.1),
        SupConLoss.supcon(0.07, 0.07), SupConLoss.supmin(0.5, 0.5, 1, 0.0),
        SupConLoss.supmin(0.5, 0.5, 1, 0.3),
        KclLoss.kcl(0.1, 0.1, 3, PositiveSelection.RANDOM))) {
      assertEquals(expected, loss.compute(batch, 7).loss(), 1e-9, loss.method());
      assertEquals(expected, loss.collapsedLoss(batch).getAsDouble(), 1e-12, loss.method());
    }
  }

  @Test
  void baseTemperatureScalesTheReference() {
    ContrastiveBatch batch = collapsed(axis());
    ContrastiveLoss supcon = SupConLoss.supcon(0.07, 0.1);
    assertEquals(0.7 * Math.log(2 * B - 1), supcon.collapsedLoss(batch).getAsDouble(), 1e-12);
    assertEquals(supcon.compute(batch, 1).loss(), supcon.collapsedLoss(batch).getAsDouble(),
        1e-9);
  }

  @Test
  void everyMethodsReferenceIsItsLossOnACollapsedBatch() {
    // a point off the axes, so that prototype terms are not trivial
    float[] point = LossBenchmark.randomUnitRows(1, D, 3);
    ContrastiveBatch batch = collapsed(point);
    Prototypes protos = Prototypes.random(D, 5);
    for (ContrastiveLoss loss : List.of(
        new SupProtoLoss(0.1, 0.1, 0.2, 0.0, 1.0, protos),
        new SupProtoLoss(0.1, 0.07, 2.0, 2.0, 3.0, protos),
        KclLoss.tsc(0.1, 0.1, 2, PositiveSelection.FIRST_K, protos),
        KclLoss.tsc(0.2, 0.1, 50, PositiveSelection.ALL, protos),
        new SbclLoss(SbclVariant.CCL, 0.1, 0.1, 1.0, null),
        new SbclLoss(SbclVariant.RANK, 0.1, 0.07, 0.5, new double[] {0.2, 0.3}))) {
      OptionalDouble ref = loss.collapsedLoss(batch);
      assertTrue(ref.isPresent(), loss.method());
      // float32 similarities of a non-axis point are 1 within ~1e-7
      assertEquals(loss.compute(batch, 11).loss(), ref.getAsDouble(), 1e-4, loss.method());
    }
  }

  @Test
  void oneViewHasNoReference() {
    float[] z = LossBenchmark.randomUnitRows(B, D, 2);
    ContrastiveBatch batch = ContrastiveBatch.of(z, B, 1, D, new int[B], null);
    assertTrue(SupConLoss.supcon(0.1, 0.1).collapsedLoss(batch).isEmpty());
  }

  @Test
  void meanCosineOfACollapsedBatchIsOne() {
    ContrastiveBatch batch = collapsed(axis());
    assertEquals(1.0, Collapse.meanCosine(batch.z(), V * B, D), 1e-12);
  }

  @Test
  void meanCosineAveragesDistinctPairsOfNormalisedRows() {
    // rows e1, 3*e2, 2*e1: cosines 0, 1, 0 over the three pairs
    float[] z = {1, 0, 0, 3, 2, 0};
    assertEquals(1.0 / 3, Collapse.meanCosine(z, 3, 2), 1e-12);
    // e1 and -e1: -1
    assertEquals(-1.0, Collapse.meanCosine(new float[] {1, 0, -1, 0}, 2, 2), 1e-12);
  }

  @Test
  void meanCosineOfRandomUnitRowsIsNearZero() {
    float[] z = LossBenchmark.randomUnitRows(256, 128, 9);
    // mean of 32640 pair cosines of sd 1/sqrt(128): |mean| well below 0.01
    assertTrue(Math.abs(Collapse.meanCosine(z, 256, 128)) < 0.01);
  }

  @Test
  void meanCosineRejectsAShapeMismatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Collapse.meanCosine(new float[5], 2, 3));
    assertTrue(e.getMessage().contains("2 rows x 3 dims"), e.getMessage());
  }
}
