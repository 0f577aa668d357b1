package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

/** The benchmark's workload on a tiny batch (no timing is asserted, only that every loss ran). */
class LossBenchmarkTest {
  @Test
  void measuresEveryLossOnce() {
    LossConfig config = LossConfig.from(ConfigLoader.load(List.of(), List.of()));
    List<LossBenchmark.Timing> timings = LossBenchmark.run(config, 20, 8, 1, 3, 7);
    assertEquals(List.of("simclr", "supcon", "supmin", "supproto", "sbcl ccl", "sbcl rank", "kcl",
        "tsc", "bcl", "weighted-ce"), timings.stream().map(LossBenchmark.Timing::name).toList());
    for (LossBenchmark.Timing t : timings) {
      assertTrue(Double.isFinite(t.loss()) && t.loss() > 0, t.name() + ": loss " + t.loss());
      assertTrue(t.minMillis() <= t.medianMillis() && t.medianMillis() <= t.p90Millis(),
          t.name());
    }
  }

  @Test
  void randomUnitRowsHaveUnitLength() {
    float[] z = LossBenchmark.randomUnitRows(5, 7, 1);
    for (int r = 0; r < 5; r++) {
      double n = 0;
      for (int j = 0; j < 7; j++) {
        n += z[r * 7 + j] * z[r * 7 + j];
      }
      assertEquals(1, Math.sqrt(n), 1e-6);
    }
  }
}
