package org.ttcspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepresentationAccumulatorTest {

  @Test
  void emptyAccumulatorGivesNullForEveryClass() {
    RepresentationMetrics m = new RepresentationAccumulator(new StackLayout(4, 2, 1, 2))
        .result();
    for (PerClass p : List.of(m.saa(), m.cac(), m.sad(), m.cad(), m.gpu())) {
      assertNull(p.class0());
      assertNull(p.class1());
    }
  }

  @Test
  void mergeRejectsAccumulatorsOfDifferentStacks() {
    RepresentationAccumulator a = new RepresentationAccumulator(new StackLayout(4, 2, 1, 2));
    RepresentationAccumulator b = new RepresentationAccumulator(new StackLayout(4, 3, 1, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertTrue(e.getMessage().contains("differently shaped"), e.getMessage());
  }

  @Test
  void scanRejectsBlocksOfDifferentDimensions() {
    StackLayout layout = new StackLayout(2, 1, 1, 2);
    EmbeddingBlock a = EmbeddingBlock.normalise(0, new float[][] {{1, 0}}, new int[] {0}, null,
        "a");
    EmbeddingBlock b = EmbeddingBlock.normalise(1, new float[][] {{1, 0, 0}}, new int[] {1},
        null, "b");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NeighbourScan(layout, a).scan(b));
    assertEquals("block at row 1 has dimension 3 but block at row 0 has 2", e.getMessage());
  }

  @Test
  void mergingTwoHalvesEqualsOneScanOfTheConcatenation() {
    MetricFixtures f = MetricFixtures.all().get(0);
    List<EmbeddingBlock> halves = f.blocks((f.embeddings().length + 1) / 2);
    EmbeddingBlock whole = f.blocks(Integer.MAX_VALUE).get(0);
    NeighbourScan all = new NeighbourScan(f.layout(), whole);
    halves.forEach(all::scan);
    RepresentationAccumulator merged = new RepresentationAccumulator(f.layout());
    for (EmbeddingBlock rows : halves) {
      NeighbourScan scan = new NeighbourScan(f.layout(), rows);
      halves.forEach(scan::scan);
      merged.merge(scan.finish());
    }
    RepresentationMetrics expected = all.finish().result();
    RepresentationMetrics actual = merged.result();
    assertEquals(expected.saa(), actual.saa());
    assertEquals(expected.cac(), actual.cac());
    for (int c = 0; c < 2; c++) {
      assertEquals(expected.cad().get(c), actual.cad().get(c), 1e-12);
      assertEquals(expected.gpu().get(c), actual.gpu().get(c), 1e-12);
      assertEquals(expected.sad().get(c), actual.sad().get(c), 1e-12);
    }
  }

  @Test
  void nearestRowsBreaksTiesByLowerIndex() {
    NearestRows k = new NearestRows(2);
    k.offer(NearestRows.pack(0.5, 9, 1));
    k.offer(NearestRows.pack(0.5, 3, 0));
    k.offer(NearestRows.pack(0.5, 5, 1));
    assertEquals(3, NearestRows.row(k.nearest()));
    assertEquals(0, NearestRows.label(k.nearest()));
    assertEquals(1, k.countLabel(1)); // kept rows 3 and 5
    assertEquals(2, k.size());
  }
}
