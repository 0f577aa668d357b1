package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllReduceTest {
  @Test
  void oneExecutorMovesNothing() {
    assertEquals(0, AllReduce.bytesPerExecutor(11_000_000, 1));
  }

  @Test
  void twoExecutorsExchangeHalfTheWeightsAndHalfTheGradientsInFp16() {
    // P = 1000: 500 foreign weights + 500 foreign gradient values, 2 bytes each.
    assertEquals(2000, AllReduce.bytesPerExecutor(1000, 2));
  }

  @Test
  void perExecutorVolumeApproachesFourBytesPerParameter() {
    assertEquals(3600, AllReduce.bytesPerExecutor(1000, 10));
    assertTrue(AllReduce.bytesPerExecutor(1000, 1000) < 4000);
  }

  @Test
  void rejectsNoExecutors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AllReduce.bytesPerExecutor(10, 0));
    assertTrue(e.getMessage().contains("executors >= 1"), e.getMessage());
  }
}
