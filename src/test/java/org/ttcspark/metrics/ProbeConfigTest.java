package org.ttcspark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class ProbeConfigTest {

  @Test
  void referenceDefaultsAreValid() {
    ProbeConfig p = ProbeConfig.from(ConfigLoader.load(List.of(), List.of()));
    assertEquals(ProbeConfig.ClassWeights.NONE, p.classWeights());
    assertEquals("feature", p.column());
    MetricsConfig m = MetricsConfig.from(ConfigLoader.load(List.of(), List.of()));
    assertEquals("projection", m.column());
    assertEquals(0.05, m.cacFraction());
  }

  @Test
  void balancedWeightsMakeBothClassesWeighTheSame() {
    double[] w = ProbeConfig.ClassWeights.BALANCED.weights(new long[] {90, 10});
    assertArrayEquals(new double[] {100 / 180.0, 100 / 20.0}, w, 1e-15);
    assertEquals(90 * w[0], 10 * w[1], 1e-12);
    assertArrayEquals(new double[] {1, 1},
        ProbeConfig.ClassWeights.NONE.weights(new long[] {90, 10}));
  }

  @Test
  void badValuesAreReportedTogether() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> ProbeConfig.from(
        ConfigLoader.load(List.of(), List.of("probe.select-by=balanced-acc",
            "probe.reg-params=[-1]"))));
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.getMessage().contains("must be one of balanced-accuracy, accuracy"), e.getMessage());
  }
}
