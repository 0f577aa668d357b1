package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.LossBenchmark;
import org.ttcspark.loss.SupConLoss;

class SliceLossTest {
  private static final int B = 12;
  private static final int V = 2;
  private static final int D = 6;
  private static final ContrastiveLoss SUPMIN = SupConLoss.supmin(0.1, 0.1, 1, 0.5);

  /** B samples' rows (sample-major, unit length), labels with 3 minority, keys. */
  private record Batch(float[] z, int[] labels, long[] keys) {}

  private static Batch batch(long seed) {
    Random rng = new Random(seed);
    float[] z = LossBenchmark.randomUnitRows(B * V, D, seed);
    int[] labels = new int[B];
    long[] keys = new long[B];
    for (int i = 0; i < B; i++) {
      labels[i] = i % 4 == 1 ? 1 : 0;
      keys[i] = rng.nextLong();
    }
    return new Batch(z, labels, keys);
  }

  /** The batch split into slices holding the given sample indices, in that order. */
  private static List<SliceLoss.Slice> split(Batch b, int[][] members) {
    List<SliceLoss.Slice> out = new ArrayList<>();
    for (int[] m : members) {
      float[] z = new float[m.length * V * D];
      int[] labels = new int[m.length];
      long[] keys = new long[m.length];
      int[] clusters = new int[m.length];
      for (int i = 0; i < m.length; i++) {
        System.arraycopy(b.z(), m[i] * V * D, z, i * V * D, V * D);
        labels[i] = b.labels()[m[i]];
        keys[i] = b.keys()[m[i]];
        clusters[i] = -1;
      }
      out.add(new SliceLoss.Slice(z, labels, clusters, keys));
    }
    return out;
  }

  /** Gradient rows of every sample, by original index. */
  private static float[] bySample(List<float[]> grads, int[][] members) {
    float[] out = new float[B * V * D];
    for (int p = 0; p < members.length; p++) {
      for (int i = 0; i < members[p].length; i++) {
        System.arraycopy(grads.get(p), i * V * D, out, members[p][i] * V * D, V * D);
      }
    }
    return out;
  }

  private static final int[][] ONE = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}};
  private static final int[][] TWO = {{7, 2, 9, 0, 11, 4}, {1, 3, 5, 6, 8, 10}};
  private static final int[][] FOUR = {{3, 8, 0}, {10, 1, 6}, {11, 5, 2}, {9, 4, 7}};

  @Test
  void globalScopeGivesTheSameLossAndGradientHoweverTheBatchIsSplit() {
    Batch b = batch(5);
    SliceLoss.Result one = SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, split(b, ONE), V, D, 42);
    for (int[][] members : new int[][][] {TWO, FOUR}) {
      SliceLoss.Result r = SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, split(b, members), V, D,
          42);
      assertEquals(one.loss(), r.loss(), 0.0, "same rows in the same canonical order");
      assertArrayEquals(bySample(one.gradients(), ONE), bySample(r.gradients(), members), 0f);
    }
  }

  @Test
  void localScopeIsTheMeanOfTheSlicesLossesAndDiffersFromGlobal() {
    Batch b = batch(6);
    SliceLoss.Result global = SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, split(b, TWO), V, D, 1);
    SliceLoss.Result local = SliceLoss.evaluate(LossScope.LOCAL, SUPMIN, split(b, TWO), V, D, 1);
    double mean = 0;
    for (int[] m : TWO) {
      mean += SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, split(b, new int[][] {m}), V, D, 1)
          .loss() / 2;
    }
    assertEquals(mean, local.loss(), 1e-12);
    assertTrue(Math.abs(global.loss() - local.loss()) > 1e-3,
        "global " + global.loss() + " vs local " + local.loss());
    float[] g = bySample(global.gradients(), TWO);
    float[] l = bySample(local.gradients(), TWO);
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < g.length; i++) {
      diff += (g[i] - l[i]) * (g[i] - l[i]);
      norm += g[i] * g[i];
    }
    assertTrue(Math.sqrt(diff / norm) > 0.05, "relative gradient difference "
        + Math.sqrt(diff / norm));
  }

  @Test
  void oneSliceIsTheSameInBothScopes() {
    Batch b = batch(7);
    SliceLoss.Result g = SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, split(b, ONE), V, D, 3);
    SliceLoss.Result l = SliceLoss.evaluate(LossScope.LOCAL, SUPMIN, split(b, ONE), V, D, 3);
    assertEquals(g.loss(), l.loss(), 1e-12);
    assertArrayEquals(g.gradients().get(0), l.gradients().get(0), 1e-7f);
  }

  @Test
  void aSliceWithTheWrongNumberOfValuesIsNamed() {
    Batch b = batch(8);
    List<SliceLoss.Slice> slices = new ArrayList<>(split(b, TWO));
    SliceLoss.Slice s = slices.get(1);
    slices.set(1, new SliceLoss.Slice(new float[3], s.labels(), s.clusters(), s.keys()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SliceLoss.evaluate(LossScope.GLOBAL, SUPMIN, slices, V, D, 1));
    assertTrue(e.getMessage().startsWith("slice 1 has 3 projection values"), e.getMessage());
  }
}
