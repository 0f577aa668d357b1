package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SliceScheduleTest {
  private static long[] keys(int n, long seed) {
    return new SplittableRandom(seed).longs(n).toArray();
  }

  @Test
  void slicesDifferInSizeByAtMostOneAndDoNotDependOnInputOrder() {
    SliceSchedule s = SliceSchedule.of(12, 4, 9);
    long[] keys = keys(103, 1);
    int[] slice = s.assign(keys);
    int[] sizes = new int[4];
    for (int p : slice) {
      sizes[p]++;
    }
    assertEquals(26, Arrays.stream(sizes).max().orElseThrow());
    assertEquals(25, Arrays.stream(sizes).min().orElseThrow());
    long[] reversed = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      reversed[i] = keys[keys.length - 1 - i];
    }
    int[] again = s.assign(reversed);
    for (int i = 0; i < keys.length; i++) {
      assertEquals(slice[i], again[keys.length - 1 - i], "sample " + i);
    }
    assertFalse(Arrays.equals(slice, SliceSchedule.of(12, 4, 10).assign(keys)),
        "another seed lays the samples out differently");
  }

  @Test
  void anEpochVisitsDistinctSamplesAndEpochsDiffer() {
    SliceSchedule s = SliceSchedule.of(8, 2, 3);
    assertEquals(4, s.perSlice());
    int size = 18;
    int iterations = s.iterationsPerEpoch(size);
    assertEquals(4, iterations);
    Set<Integer> seen = new HashSet<>();
    for (int k = 0; k < iterations; k++) {
      for (int at : s.positions(1, k, 1, size)) {
        assertTrue(seen.add(at), "position " + at + " twice in epoch 1");
      }
    }
    assertEquals(16, seen.size());
    assertFalse(Arrays.equals(s.order(1, 1, size), s.order(2, 1, size)));
    assertFalse(Arrays.equals(s.order(1, 0, size), s.order(1, 1, size)));
    assertArrayEquals(s.order(2, 1, size), s.order(2, 1, size));
  }

  @Test
  void badLayoutsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SliceSchedule.of(10, 4, 1));
    assertTrue(e.getMessage().contains("use a multiple of 4, e.g. 8"), e.getMessage());
    long[] dup = {5, 7, 5};
    e = assertThrows(IllegalArgumentException.class, () -> SliceSchedule.of(2, 2, 1).assign(dup));
    assertTrue(e.getMessage().contains("sample ids must be unique"), e.getMessage());
  }
}
