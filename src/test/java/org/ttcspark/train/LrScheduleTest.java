package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  private final LrSchedule s = LrSchedule.ofEpochs(0.0625, 10, 100, 20);

  @Test
  void warmUpStartsAtOneTenthAndRisesLinearlyToTheBase() {
    assertEquals(0.00625, s.rate(0), 1e-12);
    assertEquals(0.00625 + (0.0625 - 0.00625) * 100 / 200, s.rate(100), 1e-12);
    assertEquals(0.0625, s.rate(200), 1e-12);
  }

  @Test
  void cosineEndsAtOneThousandthOfTheBaseAtTheLastIteration() {
    assertEquals(0.0625 * 0.001, s.rate(1999), 1e-12);
    assertEquals(0.0625 * 0.001, s.rate(5000), 1e-12);
    double mid = 0.0625 * 0.001 + (0.0625 - 0.0625 * 0.001) * 0.5;
    assertEquals(mid, s.rate(200 + 1799 / 2), 1e-4);
  }

  @Test
  void decreasesMonotonicallyAfterWarmUp() {
    for (int t = 201; t < 2000; t++) {
      assertTrue(s.rate(t) <= s.rate(t - 1), "iteration " + t);
    }
  }

  @Test
  void withoutWarmUpStartsAtTheBase() {
    assertEquals(0.1, new LrSchedule(0.1, 0, 10).rate(0), 1e-12);
  }

  @Test
  void rejectsWarmUpLongerThanTheRun() {
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule(0.1, 11, 10));
  }
}
