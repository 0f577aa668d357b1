package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dynamic loss scaling behaves as PyTorch's GradScaler: growth, backoff, skipped steps. */
class LossScalerTest {
  @Test
  void startsAtGradScalersDefaultsAndGrowsAfterTwoThousandFiniteSteps() {
    LossScaler s = new LossScaler();
    assertEquals(65536.0, s.scale());
    for (int i = 0; i < 1999; i++) {
      assertTrue(s.update(true));
    }
    assertEquals(65536.0, s.scale(), "no growth before the 2000th finite step");
    assertTrue(s.update(true));
    assertEquals(131072.0, s.scale());
    for (int i = 0; i < 2000; i++) {
      s.update(true);
    }
    assertEquals(262144.0, s.scale());
  }

  @Test
  void aNonFiniteStepIsSkippedHalvesTheScaleAndRestartsTheGrowthCount() {
    LossScaler s = new LossScaler(8, 2, 0.5, 3);
    s.update(true);
    s.update(true);
    assertFalse(s.update(false), "the update of a non-finite step is skipped");
    assertEquals(4.0, s.scale());
    s.update(true);
    s.update(true);
    assertEquals(4.0, s.scale(), "the two finite steps before the skip no longer count");
    s.update(true);
    assertEquals(8.0, s.scale());
    assertFalse(s.update(false));
    assertFalse(s.update(false));
    assertEquals(2.0, s.scale(), "consecutive non-finite steps back off again");
  }

  @Test
  void scalesTheLossGradientAndUnscalesAndChecksTheParameterGradient() {
    LossScaler s = new LossScaler(1024, 2, 0.5, 10);
    assertArrayEquals(new float[] {1024f, -512f, 0f}, s.scaled(new float[] {1f, -0.5f, 0f}));
    float[] g = {9f, 2048f, -1024f, 7f};
    assertTrue(LossScaler.unscale(g, 1, 2, s.scale()));
    assertArrayEquals(new float[] {9f, 2f, -1f, 7f}, g, "only the given range is unscaled");
    assertFalse(LossScaler.unscale(new float[] {1f, Float.POSITIVE_INFINITY}, 0, 2, 4));
    assertFalse(LossScaler.unscale(new float[] {Float.NaN, 1f}, 0, 2, 4));
    assertTrue(LossScaler.unscale(new float[] {Float.NaN, 1f}, 1, 1, 4),
        "a non-finite value outside the range is not this shard's");
  }

  @Test
  void theStateRoundTripsThroughTheCheckpointMap() {
    LossScaler a = new LossScaler(16, 2, 0.5, 3);
    a.update(true);
    a.update(false);
    a.update(true);
    Map<String, double[]> state = new HashMap<>();
    a.saveTo(state);
    LossScaler b = new LossScaler(16, 2, 0.5, 3);
    assertTrue(b.restoreFrom(state));
    assertEquals(a.scale(), b.scale());
    a.update(true);
    b.update(true);
    a.update(true);
    b.update(true);
    assertEquals(16.0, a.scale(), "grew after three finite steps since the skip");
    assertEquals(a.scale(), b.scale(), "the restored scaler grows on the same step");
    LossScaler fresh = new LossScaler();
    assertFalse(fresh.restoreFrom(Map.of()), "an fp32 run's checkpoint has no scaler state");
    assertEquals(65536.0, fresh.scale());
    assertThrows(IllegalArgumentException.class,
        () -> fresh.restoreFrom(Map.of(LossScaler.STATE_KEY, new double[] {0, 1})));
  }
}
