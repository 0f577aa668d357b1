package org.ttcspark.loss.bigdl;

import com.intel.analytics.bigdl.tensor.Tensor;
import org.ttcspark.platform.Bigdl;

/**
 * The target tensor of ttc-spark's criteria: {@code [B, 2]} float, column 0 the label (0 or 1),
 * column 1 the subclass (cluster) id, -1 when the loss does not use one.
 */
final class Targets {
  private final int[] labels;
  private final int[] clusters;

  private Targets(int[] labels, int[] clusters) {
    this.labels = labels;
    this.clusters = clusters;
  }

  static Targets of(Tensor<Object> target) {
    if (target.dim() != 2 || target.size(2) != 2) {
      throw new IllegalArgumentException("criterion target must be [batch, 2] (label, cluster "
          + "id or -1) but has shape " + java.util.Arrays.toString(target.size()));
    }
    float[] t = Bigdl.toArray(target);
    int b = target.size(1);
    int[] labels = new int[b];
    int[] clusters = new int[b];
    int unset = 0;
    for (int i = 0; i < b; i++) {
      labels[i] = whole(t[2 * i], "label", i);
      clusters[i] = whole(t[2 * i + 1], "cluster id", i);
      if (clusters[i] == -1) {
        unset++;
      }
    }
    if (unset != 0 && unset != b) {
      throw new IllegalArgumentException(unset + " of " + b + " samples have no cluster id "
          + "(-1): a batch carries cluster ids for every sample or for none");
    }
    return new Targets(labels, unset == b ? null : clusters);
  }

  int batch() {
    return labels.length;
  }

  int[] labels() {
    return labels;
  }

  /** Cluster ids, or null when the target carries none. */
  int[] clusters() {
    return clusters;
  }

  private static int whole(float v, String what, int sample) {
    if (v != Math.rint(v) || Math.abs(v) > 1e9) {
      throw new IllegalArgumentException(what + " of sample " + sample + " in the target is "
          + v + "; it must be a whole number");
    }
    return (int) v;
  }
}
