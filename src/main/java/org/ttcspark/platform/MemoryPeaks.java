package org.ttcspark.platform;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's memory high-water marks, for commands that report what they needed (in local mode
 * the driver JVM is also the executor). The heap figure sums the peaks of the heap pools (eden,
 * survivor, old), which need not have peaked at the same moment: an upper bound of the peak
 * heap in use, what {@code -Xmx} must allow. Resident memory also counts native buffers
 * (MKL-DNN's), thread stacks and code.
 */
public final class MemoryPeaks {
  private MemoryPeaks() {}

  /** Sum of the heap pools' peak usage, bytes. */
  public static long heapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Peak resident set size of the process (Linux {@code VmHWM}), bytes; -1 elsewhere. */
  public static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      return -1;
    }
    return -1;
  }

  /** "peak heap 1.23 GB of 4.00 GB, peak resident 2.34 GB" (resident left out if unknown). */
  public static String describe() {
    long resident = residentBytes();
    return String.format(java.util.Locale.ROOT, "peak heap %.2f GB of %.2f GB%s",
        heapBytes() / 1e9, Runtime.getRuntime().maxMemory() / 1e9,
        resident < 0 ? "" : String.format(java.util.Locale.ROOT, ", peak resident %.2f GB",
            resident / 1e9));
  }
}
