package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryPeaksTest {
  /**
   * Churning through a gigabyte of short-lived arrays makes the heap pools peak at different
   * moments; the heap's peak is what was in use at once: never above the limit, and a live
   * array is in it.
   */
  @Test
  void peakHeapIsWhatWasInUseAtOnceNeverAboveTheLimit() {
    MemoryPeaks.reset();
    long max = Runtime.getRuntime().maxMemory();
    byte[] live = new byte[32 << 20];
    long checksum = 0;
    for (long allocated = 0; allocated < Math.min(max, 1L << 30); allocated += 1 << 20) {
      byte[] garbage = new byte[1 << 20];
      garbage[(int) (allocated % garbage.length)] = 1;
      checksum += garbage[0];
    }
    long peak = MemoryPeaks.heapBytes();
    assertTrue(peak >= live.length, "peak heap " + peak + " below a live array of "
        + live.length + " (" + checksum + ")");
    assertTrue(peak <= max, "peak heap " + peak + " above the heap limit " + max);
  }
}
