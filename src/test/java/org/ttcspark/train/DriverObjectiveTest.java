package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.loss.LossConfig;

/**
 * BCL's and PaCo's driver objectives on small batches: the gradient they send to the slices
 * matches finite differences of their loss (with learning rate 0, so the driver's parameters
 * stay put), it does not depend on how the batch is split, and SGD on their own parameters
 * lowers the loss of a fixed batch; a step whose update is dropped (loss scaling's skipped
 * update) leaves their state bit-identical.
 */
class DriverObjectiveTest {
  private static final int D = 4;
  private static final int F = 6;
  private static final long[] COUNTS = {80, 20};

  private static LossConfig config(String... overrides) {
    return LossConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  private static BclObjective bcl() {
    return new BclObjective(config().bcl(), 0.1, COUNTS, D, F, 0.9, 0, 3);
  }

  private static PacoObjective paco(int queue) {
    return new PacoObjective(config("loss.paco.alpha=0.5", "loss.paco.temperature=0.2",
        "loss.paco.queue-size=" + queue).paco(), COUNTS, D, F, 0.9, 0, 3);
  }

  /** One slice per entry of {@code sizes}: rows of unit projections then free features. */
  private static List<SliceLoss.Slice> slices(int views, long seed, int... sizes) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<SliceLoss.Slice> out = new ArrayList<>();
    long key = 0;
    for (int size : sizes) {
      float[] rows = new float[size * views * (D + F)];
      int[] labels = new int[size];
      long[] keys = new long[size];
      for (int i = 0; i < size; i++) {
        labels[i] = (key % 3 == 1) ? 1 : 0;
        keys[i] = 1000 - 7 * key++;
        for (int v = 0; v < views; v++) {
          int base = (i * views + v) * (D + F);
          double n = 0;
          for (int j = 0; j < D; j++) {
            rows[base + j] = (float) rng.nextGaussian();
            n += rows[base + j] * rows[base + j];
          }
          for (int j = 0; j < D; j++) {
            rows[base + j] /= (float) Math.sqrt(n);
          }
          for (int j = D; j < D + F; j++) {
            rows[base + j] = (float) rng.nextGaussian();
          }
        }
      }
      out.add(new SliceLoss.Slice(rows, labels, new int[size], keys));
    }
    return out;
  }

  /** One step with its update applied, as an iteration whose update is not skipped. */
  private static SliceLoss.Result taken(DriverObjective o, List<SliceLoss.Slice> s, double lr) {
    SliceLoss.Result r = o.step(s, lr);
    o.finishStep(true);
    return r;
  }

  private static void checkFiniteDifferences(DriverObjective o, List<SliceLoss.Slice> s,
      boolean[] viewHasGrad) {
    SliceLoss.Result r = taken(o, s, 0);
    float[] rows = s.get(0).projections();
    float[] g = r.gradients().get(0);
    int views = viewHasGrad.length;
    double eps = 1e-3;
    double worst = 0;
    double scale = 0;
    for (int idx = 0; idx < rows.length; idx++) {
      int v = (idx / (D + F)) % views;
      if (!viewHasGrad[v]) {
        assertEquals(0, g[idx], 0, "no gradient for view " + v);
        continue;
      }
      float keep = rows[idx];
      rows[idx] = (float) (keep + eps);
      double up = taken(o, s, 0).loss();
      rows[idx] = (float) (keep - eps);
      double down = taken(o, s, 0).loss();
      rows[idx] = keep;
      double fd = (up - down) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - g[idx]));
      scale = Math.max(scale, Math.abs(fd));
    }
    assertTrue(scale > 0 && worst <= 2e-3 * Math.max(scale, 1e-3),
        "gradient differs from finite differences by " + worst + " (largest " + scale + ")");
  }

  @Test
  void bclGradientMatchesFiniteDifferences() {
    checkFiniteDifferences(bcl(), slices(3, 1, 7), new boolean[] {true, true, true});
  }

  @Test
  void pacoGradientMatchesFiniteDifferencesAndKeysGetNone() {
    checkFiniteDifferences(paco(0), slices(2, 2, 7), new boolean[] {true, false});
  }

  @Test
  void theSplitOfTheBatchChangesNothing() {
    SliceLoss.Result one = taken(bcl(), slices(3, 5, 8), 0);
    SliceLoss.Result two = taken(bcl(), slices(3, 5, 3, 5), 0);
    assertEquals(one.loss(), two.loss(), 1e-9);
    float[] whole = one.gradients().get(0);
    float[] a = two.gradients().get(0);
    float[] b = two.gradients().get(1);
    for (int i = 0; i < a.length; i++) {
      assertEquals(whole[i], a[i], 1e-7f);
    }
    for (int i = 0; i < b.length; i++) {
      assertEquals(whole[a.length + i], b[i], 1e-7f);
    }
  }

  @Test
  void driverParametersLearn() {
    for (DriverObjective o : new DriverObjective[] {bcl(), paco(0)}) {
      List<SliceLoss.Slice> s = slices(o.views(), 9, 10);
      double first = taken(o, s, 0.5).loss();
      double last = first;
      for (int i = 0; i < 30; i++) {
        last = taken(o, s, 0.5).loss();
      }
      assertTrue(last < first - 1e-3, o.getClass().getSimpleName() + ": " + first + " -> "
          + last);
    }
  }

  @Test
  void pacoQueueFillsUpToItsSizeAndJoinsTheContrast() {
    PacoObjective o = paco(12);
    List<SliceLoss.Slice> s = slices(2, 4, 5);
    double withoutQueue = taken(o, s, 0).loss();
    assertEquals(5, o.queued());
    double withQueue = taken(o, s, 0).loss();
    assertTrue(Math.abs(withQueue - withoutQueue) > 1e-6, "the queue changed nothing");
    taken(o, s, 0);
    assertEquals(12, o.queued());
  }

  /**
   * issue 16: an iteration whose update is skipped (fp16 loss scaling) leaves the heads, their
   * SGD velocity and PaCo's queue exactly as they were, so the same batch then gives the same
   * loss and gradients again; the applied update does move them.
   */
  @Test
  void issue16DroppedStepLeavesTheStateBitIdentical() {
    for (DriverObjective o : new DriverObjective[] {bcl(), paco(12)}) {
      String name = o.getClass().getSimpleName();
      List<SliceLoss.Slice> s = slices(o.views(), 6, 5);
      taken(o, s, 0.5);
      taken(o, slices(o.views(), 7, 5), 0.5);
      Map<String, double[]> before = o.state();
      SliceLoss.Result dropped = o.step(s, 0.5);
      o.finishStep(false);
      assertSameState(name, before, o.state());
      SliceLoss.Result again = o.step(s, 0.5);
      assertEquals(dropped.loss(), again.loss(), 0, name + ": loss after a dropped step");
      assertArrayEquals(dropped.gradients().get(0), again.gradients().get(0),
          name + ": gradient after a dropped step");
      o.finishStep(true);
      Map<String, double[]> after = o.state();
      for (String k : before.keySet()) {
        if (!k.equals("queue_labels")) {
          assertFalse(Arrays.equals(before.get(k), after.get(k)), name + ": applied step "
              + "left " + k + " unchanged");
        }
      }
    }
  }

  @Test
  void aStepMustBeFinishedOnceBeforeTheNext() {
    DriverObjective o = bcl();
    List<SliceLoss.Slice> s = slices(3, 1, 4);
    assertThrows(IllegalStateException.class, () -> o.finishStep(true));
    o.step(s, 0.1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> o.step(s, 0.1));
    assertTrue(e.getMessage().contains("finishStep"), e.getMessage());
    assertThrows(IllegalStateException.class, o::state);
    o.finishStep(false);
    o.step(s, 0.1);
  }

  private static void assertSameState(String name, Map<String, double[]> want,
      Map<String, double[]> got) {
    assertEquals(want.keySet(), got.keySet(), name + ": state entries");
    want.forEach((k, v) -> assertArrayEquals(v, got.get(k), name + ": " + k
        + " moved on a dropped step"));
  }
}
