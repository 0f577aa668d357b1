package org.ttcspark.loss;

import java.util.ArrayList;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/** Per-class train counts given in configuration ({@code loss.bcl/paco.class-counts}). */
final class ClassCounts {
  private ClassCounts() {}

  /** Empty, or one whole count of at least 1 per class (2). */
  static List<Long> read(ConfigReader r, String path) {
    List<Double> raw = r.doubles(path);
    List<Long> out = new ArrayList<>();
    for (double v : raw) {
      out.add((long) v);
    }
    r.require(raw.isEmpty() || raw.size() == 2, path, "must be empty (the train split's "
        + "counts) or hold one train count per class (2), e.g. [900, 100]");
    r.require(raw.stream().allMatch(v -> v >= 1 && v == Math.rint(v) && v < 1e15), path,
        "must hold whole numbers of at least 1");
    return List.copyOf(out);
  }

  static long[] orElse(List<Long> configured, long[] trainCounts) {
    if (configured.isEmpty()) {
      if (trainCounts == null) {
        throw new IllegalArgumentException("no class counts: set the method's "
            + "class-counts key (e.g. loss.bcl.class-counts = [900, 100])");
      }
      return trainCounts.clone();
    }
    return configured.stream().mapToLong(Long::longValue).toArray();
  }
}
