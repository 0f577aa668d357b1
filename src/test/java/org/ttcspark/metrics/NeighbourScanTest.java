package org.ttcspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The GEMM tile scan against a direct pair-by-pair computation of the same definitions. */
class NeighbourScanTest {

  @Test
  void gramTileEqualsPlainDotProducts() {
    Random rnd = new Random(3);
    int r = 37;
    int c = 50;
    int dim = 13;
    double[] x = gaussian(rnd, r * dim);
    double[] y = gaussian(rnd, c * dim);
    double[] g = new double[r * c];
    DoubleBlas.gram(x, dim * 2, r - 2, y, c, dim, g); // from row 2 on
    for (int i = 0; i < r - 2; i++) {
      for (int j = 0; j < c; j++) {
        double dot = 0;
        for (int d = 0; d < dim; d++) {
          dot += x[(i + 2) * dim + d] * y[j * dim + d];
        }
        assertEquals(dot, g[i * c + j], 1e-12, "g[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void blockSizesThatDoNotDivideNOrTheStripAgreeWithThePairwiseDefinition() {
    float[][] e = random(new Random(7), 2 * 53, 9);
    int[] labels = labels(53, 2, 7);
    StackLayout layout = StackLayout.of(e.length, 2, 0.05, 2.0);
    RepresentationMetrics expected = Pairwise.metrics(layout, e, labels);
    for (int size : new int[] {1, 5, 31, 32, 33, 64, 105, 106, 1000}) {
      RepresentationMetrics m = RepresentationMetrics.compute(layout, blocks(e, labels, size));
      assertEquals(expected.saa(), m.saa(), "SAA, block size " + size);
      assertEquals(expected.cac(), m.cac(), "CAC, block size " + size);
      for (int c = 0; c < 2; c++) {
        assertRelative(expected.sad().get(c), m.sad().get(c), "SAD " + size);
        assertRelative(expected.cad().get(c), m.cad().get(c), "CAD " + size);
        assertRelative(expected.gpu().get(c), m.gpu().get(c), "GPU " + size);
      }
    }
  }

  @Test
  void exactTiesGoToTheLowerRowIndex() {
    // unit axes: every pair of distinct rows is exactly sqrt(2) apart, so every neighbour
    // decision is a tie, which the lowest row index wins; row 12 (view 1 of sample 0) is a
    // copy of row 0, and distance 0 beats every tie. k = 1 (N = 24).
    int n = 24;
    float[][] e = new float[n][n];
    for (int i = 0; i < n; i++) {
      e[i][i] = 1f;
    }
    e[12] = e[0].clone();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3 == 0 ? 1 : 0; // consistent across views: 12 is a multiple of 3
    }
    StackLayout layout = StackLayout.of(n, 2, 0.05, 2.0);
    assertEquals(1, layout.k());
    RepresentationMetrics expected = Pairwise.metrics(layout, e, labels);
    for (int size : new int[] {1, 7, 24}) {
      RepresentationMetrics m = RepresentationMetrics.compute(layout, blocks(e, labels, size));
      // only rows 0 and 12 have a view of their own sample as nearest: 2 of 8 class-1 rows
      assertEquals(25.0, m.saa().class1(), "block size " + size);
      assertEquals(0.0, m.saa().class0(), "block size " + size);
      assertEquals(expected.saa(), m.saa(), "block size " + size);
      assertEquals(expected.cac(), m.cac(), "block size " + size);
      assertRelative(expected.cad().class0(), m.cad().class0(), "CAD " + size);
      assertRelative(expected.gpu().class1(), m.gpu().class1(), "GPU " + size);
    }
  }

  @Test
  void scanningColumnBlocksInAnotherOrderKeepsTheNeighbourMetrics() {
    float[][] e = random(new Random(11), 2 * 40, 6);
    int[] labels = labels(40, 2, 5);
    StackLayout layout = StackLayout.of(e.length, 2, 0.1, 2.0);
    List<EmbeddingBlock> blocks = blocks(e, labels, 17);
    RepresentationAccumulator forward = new RepresentationAccumulator(layout);
    RepresentationAccumulator backward = new RepresentationAccumulator(layout);
    for (EmbeddingBlock rows : blocks) {
      NeighbourScan a = new NeighbourScan(layout, rows);
      NeighbourScan b = new NeighbourScan(layout, rows);
      for (int j = 0; j < blocks.size(); j++) {
        a.scan(blocks.get(j));
        b.scan(blocks.get(blocks.size() - 1 - j));
      }
      forward.merge(a.finish());
      backward.merge(b.finish());
    }
    assertEquals(forward.result().saa(), backward.result().saa());
    assertEquals(forward.result().cac(), backward.result().cac());
  }

  @Test
  void sameBlocksGiveTheSameSumsBitForBit() {
    float[][] e = random(new Random(5), 2 * 70, 16);
    int[] labels = labels(70, 2, 4);
    StackLayout layout = StackLayout.of(e.length, 2, 0.05, 2.0);
    RepresentationMetrics one = RepresentationMetrics.compute(layout, blocks(e, labels, 45));
    RepresentationMetrics two = RepresentationMetrics.compute(layout, blocks(e, labels, 45));
    assertEquals(one, two);
  }

  @Test
  void nearestRowsKeepsTheKSmallestThroughCompactionAndCrowdedBuckets() {
    Random rnd = new Random(13);
    for (int k : new int[] {1, 5, 40}) {
      for (boolean crowded : new boolean[] {false, true}) {
        NearestRows keep = new NearestRows(k);
        List<Long> all = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < 1000; s++) {
          order.add(s);
        }
        java.util.Collections.shuffle(order, rnd);
        for (int s : order) {
          double d = crowded ? 1.0 + (s % 3) * 1e-4 : rnd.nextDouble() * 2;
          long entry = NearestRows.pack(d, s, s % 2);
          all.add(entry);
          if (d <= keep.limit()) {
            keep.offer(entry);
          }
        }
        all.sort(null);
        List<Long> smallest = all.subList(0, k);
        assertEquals(k, keep.size());
        assertEquals(smallest.get(0), keep.nearest(), "k=" + k + " crowded=" + crowded);
        long odd = smallest.stream().filter(x -> NearestRows.label(x) == 1).count();
        assertEquals(odd, keep.countLabel(1), "k=" + k + " crowded=" + crowded);
      }
    }
  }

  @Test
  void selectPutsTheNthSmallestInPlace() {
    long[] a = {9, 3, 7, 1, 8, 2, 6, 5, 4, 0};
    NearestRows.select(a, 0, a.length - 1, 3);
    assertEquals(3, a[3]);
    for (int i = 0; i < 3; i++) {
      assertTrue(a[i] < 3, Arrays.toString(a));
    }
  }

  private static void assertRelative(Double expected, Double actual, String what) {
    if (expected == null) {
      assertEquals(null, actual, what);
      return;
    }
    assertEquals(expected, actual, 1e-12 * Math.abs(expected), what);
  }

  static double[] gaussian(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  static float[][] random(Random rnd, int rows, int dim) {
    float[][] e = new float[rows][dim];
    for (float[] row : e) {
      for (int d = 0; d < dim; d++) {
        row[d] = (float) rnd.nextGaussian();
      }
    }
    return e;
  }

  /** Sample labels (every {@code every}-th sample is class 1) repeated for each view. */
  static int[] labels(int samples, int views, int every) {
    int[] l = new int[samples * views];
    for (int r = 0; r < l.length; r++) {
      l[r] = (r % samples) % every == 0 ? 1 : 0;
    }
    return l;
  }

  static List<EmbeddingBlock> blocks(float[][] e, int[] labels, int size) {
    List<EmbeddingBlock> out = new ArrayList<>();
    for (int s = 0; s < e.length; s += size) {
      int end = Math.min(e.length, s + size);
      out.add(EmbeddingBlock.normalise(s, Arrays.copyOfRange(e, s, end),
          Arrays.copyOfRange(labels, s, end), null, "test"));
    }
    return out;
  }

  /** The metrics straight from their definitions: every pair, plain loops, a full sort. */
  static final class Pairwise {
    static RepresentationMetrics metrics(StackLayout layout, float[][] raw, int[] labels) {
      int n = raw.length;
      double[][] x = new double[n][];
      for (int i = 0; i < n; i++) {
        x[i] = EmbeddingBlock.unit(raw[i], i, "pairwise");
      }
      int kept = Math.min(layout.k(), Math.max(1, n - 1));
      RepresentationAccumulator acc = new RepresentationAccumulator(layout);
      for (int r = 0; r < n; r++) {
        List<Long> others = new ArrayList<>();
        double cad = 0;
        double gpu = 0;
        double sad = 0;
        long sadPairs = 0;
        for (int s = 0; s < n; s++) {
          if (s == r) {
            continue;
          }
          double dot = 0;
          for (int d = 0; d < x[r].length; d++) {
            dot += x[r][d] * x[s][d];
          }
          double d2 = Math.max(0, 2 - 2 * dot);
          double d = Math.sqrt(d2);
          others.add(NearestRows.pack(d, s, labels[s]));
          if (labels[s] == labels[r]) {
            cad += d;
            gpu += Math.exp(-layout.gpuT() * d2);
          }
          if (r < layout.samples() && s % layout.samples() == r) {
            sad += d;
            sadPairs++;
          }
        }
        others.sort(null);
        List<Long> nearest = others.subList(0, kept);
        boolean aligned = layout.sampleOf(NearestRows.row(nearest.get(0))) == layout.sampleOf(r);
        int label = labels[r];
        int same = (int) nearest.stream().filter(e -> NearestRows.label(e) == label).count();
        acc.addNeighbours(labels[r], aligned, same, kept);
        acc.addDistances(labels[r], cad, gpu, sad, sadPairs);
      }
      return acc.result();
    }
  }
}
