package org.ttcspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepresentationMetricsTest {

  @Test
  void everyMetricFixtureMatchesWithOneBlock() {
    List<MetricFixtures> fixtures = MetricFixtures.all();
    assertFalse(fixtures.isEmpty(), "no metric fixtures found");
    for (MetricFixtures f : fixtures) {
      f.assertMatches(RepresentationMetrics.compute(f.layout(), f.blocks(Integer.MAX_VALUE)));
    }
  }

  @Test
  void blockSizeDoesNotChangeTheNeighbourMetrics() {
    for (MetricFixtures f : MetricFixtures.all()) {
      RepresentationMetrics one = RepresentationMetrics.compute(f.layout(), f.blocks(1000));
      for (int size : new int[] {1, 7, 16}) {
        RepresentationMetrics blocked = RepresentationMetrics.compute(f.layout(), f.blocks(size));
        f.assertMatches(blocked);
        assertEquals(one.saa(), blocked.saa(), f.name());
        assertEquals(one.cac(), blocked.cac(), f.name());
      }
    }
  }

  @Test
  void classWithoutRowsIsNull() {
    float[][] rows = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}};
    EmbeddingBlock b = EmbeddingBlock.normalise(0, rows, new int[] {0, 0, 0, 0}, null, "x");
    RepresentationMetrics m = RepresentationMetrics.compute(StackLayout.of(4, 2, 0.05, 2),
        List.of(b));
    assertNull(m.saa().class1());
    assertNull(m.cac().class1());
    assertNull(m.sad().class1());
    assertNull(m.cad().class1());
    assertNull(m.gpu().class1());
    assertTrue(m.saa().class0() >= 0);
    assertNull(m.toJson().get("subtype_knn"));
  }

  @Test
  void singleViewHasNoAlignmentMetrics() {
    float[][] rows = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}};
    EmbeddingBlock b = EmbeddingBlock.normalise(0, rows, new int[] {0, 1, 0, 1}, null, "x");
    RepresentationMetrics m = RepresentationMetrics.compute(StackLayout.of(4, 1, 0.05, 2),
        List.of(b));
    assertNull(m.saa().class0());
    assertNull(m.sad().class0());
    assertEquals(1, m.k());
  }

  @Test
  void subtypeKnnIsHundredForSeparatedSubtypesAndFiftyForMixedOnes() {
    // class 0: two sub-types far apart on the circle; class 1 elsewhere.
    float[][] rows = {{1, 0.01f}, {1, -0.01f}, {-1, 0.01f}, {-1, -0.01f}, {0, 1}, {0.01f, 1}};
    int[] labels = {0, 0, 0, 0, 1, 1};
    EmbeddingBlock separated = EmbeddingBlock.normalise(0, rows, labels,
        new int[] {0, 0, 1, 1, 0, 0}, "x");
    RepresentationMetrics m = RepresentationMetrics.compute(StackLayout.of(6, 1, 0.05, 2),
        List.of(separated));
    assertEquals(100.0, m.subtypeKnn().class0());
    EmbeddingBlock mixed = EmbeddingBlock.normalise(0, rows, labels,
        new int[] {0, 1, 0, 1, 0, 0}, "x");
    m = RepresentationMetrics.compute(StackLayout.of(6, 1, 0.05, 2), List.of(mixed));
    assertEquals(0.0, m.subtypeKnn().class0());
  }

  @Test
  void rejectsNaNAndZeroRowsNamingTheRow() {
    float[][] nan = {{1, 0}, {Float.NaN, 1}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddingBlock.normalise(10, nan, new int[] {0, 1}, null, "x.npy"));
    assertEquals("x.npy: row 11 contains NaN; the metrics need finite embeddings (drop or "
        + "recompute that row)", e.getMessage());
    float[][] zero = {{0, 0}, {1, 1}};
    e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddingBlock.normalise(0, zero, new int[] {0, 1}, null, "x.npy"));
    assertTrue(e.getMessage().startsWith("x.npy: row 0 is all zeros"), e.getMessage());
  }

  @Test
  void rejectsRowsNotDivisibleByViews() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StackLayout.of(41, 2, 0.05, 2));
    assertTrue(e.getMessage().startsWith("41 embeddings cannot be 2 views"), e.getMessage());
  }
}
