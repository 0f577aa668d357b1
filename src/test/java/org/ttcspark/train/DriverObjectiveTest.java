package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.loss.LossConfig;

/**
 * BCL's and PaCo's driver objectives on small batches: the gradient they send to the slices
 * matches finite differences of their loss (with learning rate 0, so the driver's parameters
 * stay put), it does not depend on how the batch is split, and SGD on their own parameters
 * lowers the loss of a fixed batch.
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

  private static void checkFiniteDifferences(DriverObjective o, List<SliceLoss.Slice> s,
      boolean[] viewHasGrad) {
    SliceLoss.Result r = o.step(s, 0);
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
      double up = o.step(s, 0).loss();
      rows[idx] = (float) (keep - eps);
      double down = o.step(s, 0).loss();
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
    SliceLoss.Result one = bcl().step(slices(3, 5, 8), 0);
    SliceLoss.Result two = bcl().step(slices(3, 5, 3, 5), 0);
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
      double first = o.step(s, 0.5).loss();
      double last = first;
      for (int i = 0; i < 30; i++) {
        last = o.step(s, 0.5).loss();
      }
      assertTrue(last < first - 1e-3, o.getClass().getSimpleName() + ": " + first + " -> "
          + last);
    }
  }

  @Test
  void pacoQueueFillsUpToItsSizeAndJoinsTheContrast() {
    PacoObjective o = paco(12);
    List<SliceLoss.Slice> s = slices(2, 4, 5);
    double withoutQueue = o.step(s, 0).loss();
    assertEquals(5, o.queued());
    double withQueue = o.step(s, 0).loss();
    assertTrue(Math.abs(withQueue - withoutQueue) > 1e-6, "the queue changed nothing");
    o.step(s, 0);
    assertEquals(12, o.queued());
  }
}
