package org.ttcspark.platform;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's memory high-water marks, for commands that report what they needed (in local mode
 * the driver JVM is also the executor). The heap in use peaks just before a collection, so
 * once {@link #watch} has run the peak is the largest heap in use any collection found when it
 * started (or the heap in use now, if larger): what {@code -Xmx} must allow. The heap pools'
 * own peaks (eden, survivor, old) need not fall at the same moment and their sum can exceed
 * {@code -Xmx}: that sum is only the fallback where nothing watched. Resident memory also
 * counts native buffers (MKL-DNN's), thread stacks and code.
 */
public final class MemoryPeaks {
  private static final AtomicLong BEFORE_GC = new AtomicLong();
  private static boolean watching;

  private MemoryPeaks() {}

  /** From now on, records the heap in use when each collection starts (once per JVM). */
  public static synchronized void watch() {
    if (watching) {
      return;
    }
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
        .collect(Collectors.toSet());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((n, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
              .equals(n.getType())) {
            Map<String, MemoryUsage> before = GarbageCollectionNotificationInfo
                .from((CompositeData) n.getUserData()).getGcInfo().getMemoryUsageBeforeGc();
            long used = before.entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
            BEFORE_GC.accumulateAndGet(used, Math::max);
          }
        }, null, null);
      }
    }
    watching = true;
  }

  /** Starts a new measurement: the peak heap from now on (and watches, if nothing did yet). */
  public static void reset() {
    watch();
    BEFORE_GC.set(0);
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /**
   * The peak heap in use, bytes: watched, the largest before any collection or now; else the
   * sum of the heap pools' peaks (an upper bound).
   */
  public static long heapBytes() {
    synchronized (MemoryPeaks.class) {
      if (watching) {
        return Math.max(BEFORE_GC.get(),
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
    }
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
    return String.format(Locale.ROOT, "peak heap %.2f GB of %.2f GB%s",
        heapBytes() / 1e9, Runtime.getRuntime().maxMemory() / 1e9,
        resident < 0 ? "" : String.format(Locale.ROOT, ", peak resident %.2f GB",
            resident / 1e9));
  }
}
