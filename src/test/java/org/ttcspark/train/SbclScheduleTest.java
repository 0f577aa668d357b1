package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SbclScheduleTest {
  @Test
  void clustersAfterTheWarmUpAndThenEveryNEpochs() {
    SbclSchedule s = new SbclSchedule(10, 10);
    assertTrue(s.inWarmUp(10));
    assertFalse(s.clustersAt(10));
    assertTrue(s.clustersAt(11));
    assertFalse(s.clustersAt(12));
    assertTrue(s.clustersAt(21));
    assertEquals(0, s.clusteringFor(10));
    assertEquals(11, s.clusteringFor(11));
    assertEquals(11, s.clusteringFor(20));
    assertEquals(21, s.clusteringFor(21));
    assertEquals(21, s.clusteringFor(30));
  }

  @Test
  void withoutWarmUpTheFirstEpochClusters() {
    SbclSchedule s = new SbclSchedule(0, 3);
    assertTrue(s.clustersAt(1));
    assertEquals(1, s.clusteringFor(3));
    assertEquals(4, s.clusteringFor(4));
  }

  @Test
  void rejectsAPeriodBelowOne() {
    assertThrows(IllegalArgumentException.class, () -> new SbclSchedule(1, 0));
  }
}
