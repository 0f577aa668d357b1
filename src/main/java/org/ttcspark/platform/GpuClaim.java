package org.ttcspark.platform;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which GPU an executor will compute on: Spark 2.4 schedules no GPUs, so each executor is given
 * one by its environment ({@code CUDA_VISIBLE_DEVICES}) and {@code engine.device} picks among
 * those it sees. Two executors of one host that end on the same physical GPU share its memory
 * and time without either knowing; {@link #conflicts} finds them before training starts.
 *
 * @param host the executor's host as Spark knows it
 * @param executorId Spark's executor id
 * @param containerDevices the executor's {@code NVIDIA_VISIBLE_DEVICES} (the host's GPUs an
 *     NVIDIA container runtime gave its container, in the container's order), or null when unset
 *     or {@code all}
 * @param visibleDevices the executor's {@code CUDA_VISIBLE_DEVICES}, or null when unset (every
 *     GPU of the host, or of the container, visible)
 * @param device the {@code engine.device} value: {@code cuda} or {@code cuda:N}
 */
public record GpuClaim(String host, String executorId, String containerDevices,
    String visibleDevices, String device) implements Serializable {

  /** The claim of this process, from its environment. */
  public static GpuClaim ofThisProcess(String host, String executorId, String device) {
    String container = System.getenv("NVIDIA_VISIBLE_DEVICES");
    return new GpuClaim(host, executorId, "all".equals(container) ? null : container,
        System.getenv("CUDA_VISIBLE_DEVICES"), device);
  }

  /**
   * The host's name for the GPU the device resolves to: the N-th GPU the process sees, counted
   * through {@code CUDA_VISIBLE_DEVICES} and then the container's {@code NVIDIA_VISIBLE_DEVICES}
   * (entries are indexes or GPU-UUIDs); null when the process sees fewer than N + 1 GPUs (the
   * device check reports that).
   */
  public String physicalGpu() {
    int n = device.equals("cuda") ? 0 : Integer.parseInt(device.substring("cuda:".length()));
    String gpu = visibleDevices == null ? Integer.toString(n) : entry(visibleDevices, n);
    if (gpu == null || containerDevices == null || !gpu.matches("\\d+")) {
      return gpu;
    }
    return entry(containerDevices, Integer.parseInt(gpu));
  }

  private static String entry(String list, int n) {
    List<String> entries = new ArrayList<>();
    for (String v : list.split(",")) {
      if (!v.isBlank() && !v.trim().equals("none") && !v.trim().equals("void")) {
        entries.add(v.trim());
      }
    }
    return n < entries.size() ? entries.get(n) : null;
  }

  /**
   * One line per GPU that more than one executor of a host would compute on, naming the host,
   * the GPU, the executors and what each sees; empty when every executor has a GPU of its own.
   * The same executor may appear in several claims (one per slice it holds).
   */
  public static List<String> conflicts(List<GpuClaim> claims) {
    Map<String, Map<String, GpuClaim>> byGpu = new TreeMap<>();
    for (GpuClaim c : claims) {
      String gpu = c.physicalGpu();
      if (gpu != null) {
        byGpu.computeIfAbsent(c.host() + "\u0000" + gpu, k -> new TreeMap<>())
            .putIfAbsent(c.executorId(), c);
      }
    }
    List<String> lines = new ArrayList<>();
    for (Map<String, GpuClaim> executors : byGpu.values()) {
      if (executors.size() < 2) {
        continue;
      }
      GpuClaim first = executors.values().iterator().next();
      TreeSet<String> seen = new TreeSet<>();
      executors.values().forEach(c -> seen.add("executor " + c.executorId() + " ("
          + (c.containerDevices() == null ? ""
              : "NVIDIA_VISIBLE_DEVICES=" + c.containerDevices() + ", ")
          + (c.visibleDevices() == null ? "CUDA_VISIBLE_DEVICES unset"
              : "CUDA_VISIBLE_DEVICES=" + c.visibleDevices()) + ", engine.device = "
          + c.device() + ")"));
      lines.add("host " + first.host() + ": GPU " + first.physicalGpu() + " is claimed by "
          + String.join(" and ", seen));
    }
    return lines;
  }
}
