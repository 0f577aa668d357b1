package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OptimStateTest {
  @Test
  void partitionSlicesCoverTheParametersInOrderLikeAllReduceParameter() {
    // AllReduceParameter: taskSize = 10 / 3 = 3, extraSize = 1 -> lengths 4, 3, 3
    long[][] expected = {{0, 4}, {4, 3}, {7, 3}};
    for (int i = 0; i < 3; i++) {
      long[] s = OptimState.slice(10, 3, i);
      assertEquals(expected[i][0], s[0], "start of partition " + i);
      assertEquals(expected[i][1], s[1], "length of partition " + i);
    }
    long next = 0;
    for (int i = 0; i < 7; i++) {
      long[] s = OptimState.slice(1_000_003, 7, i);
      assertEquals(next, s[0]);
      next += s[1];
    }
    assertEquals(1_000_003, next);
  }
}
