package org.ttcspark.train.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class ScalingConfigTest {
  private static Config with(String hocon) {
    return ConfigFactory.parseString(hocon).withFallback(ConfigLoader.reference());
  }

  @Test
  void referenceDefaultsPredictForOneToSixtyFourExecutorsAtTenGigabit() {
    ScalingConfig c = ScalingConfig.from(ConfigLoader.reference());
    assertEquals(List.of(1, 2, 4, 8, 16, 32, 64), c.executors());
    assertEquals(10e9, c.bitsPerSecond());
    assertTrue(c.smallBatch() < c.largeBatch());
  }

  @Test
  void bandwidthFlagReplacesTheKey() {
    assertEquals(1e9, ScalingConfig.from(ConfigLoader.reference()).withBandwidth(1)
        .bitsPerSecond());
    assertThrows(IllegalArgumentException.class,
        () -> ScalingConfig.from(ConfigLoader.reference()).withBandwidth(0));
  }

  @Test
  void rejectsComputeBatchesNotInAscendingPairs() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> ScalingConfig.from(
        with("train.bench.scaling.compute-batches = [32, 8]")));
    assertTrue(e.getMessage().contains("train.bench.scaling.compute-batches"), e.getMessage());
  }

  @Test
  void rejectsUnsortedExecutorCountsAndZeroBandwidth() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> ScalingConfig.from(with(
        "train.bench.scaling { executors = [4, 2], bandwidth-gbps = 0 }")));
    assertTrue(e.getMessage().contains("train.bench.scaling.executors"), e.getMessage());
    assertTrue(e.getMessage().contains("train.bench.scaling.bandwidth-gbps"), e.getMessage());
  }
}
