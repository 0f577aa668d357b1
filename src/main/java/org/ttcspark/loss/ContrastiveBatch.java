package org.ttcspark.loss;

import java.util.HashMap;
import java.util.Map;

/**
 * One batch of projections for a contrastive loss: {@code V} views of {@code B} samples,
 * stacked <b>view-major</b> (row {@code v*B + i} is view v of sample i), each row L2-normalised.
 * Built only through {@link #of}, which checks everything a loss relies on.
 *
 * @param z row-major {@code [V*B, D]} projections (not copied)
 * @param batch B, at least 2
 * @param views V, at least 1
 * @param dim D, at least 1
 * @param labels {@code [B]} class per sample, 0 or 1; null when the loss does not use labels
 * @param clusters {@code [B]} subclass id per sample, at least 0, never shared by the two
 *     classes; null when the loss does not use them
 */
public record ContrastiveBatch(float[] z, int batch, int views, int dim, int[] labels,
    int[] clusters) {
  /** Tolerance on {@code | ||z_r|| - 1 |}. */
  public static final double UNIT_TOLERANCE = 1e-3;

  /**
   * Checks and wraps a batch.
   *
   * @throws IllegalArgumentException naming the first problem: shapes, B &lt; 2, non-finite
   *     values, rows that are not unit length, labels other than 0/1, bad cluster ids
   */
  public static ContrastiveBatch of(float[] z, int batch, int views, int dim, int[] labels,
      int[] clusters) {
    if (batch < 2) {
      throw new IllegalArgumentException("batch size is " + batch
          + "; a contrastive loss needs at least 2 samples");
    }
    if (views < 1 || dim < 1) {
      throw new IllegalArgumentException("views (" + views + ") and dimension (" + dim
          + ") of the features must be at least 1");
    }
    if (z == null || (long) views * batch * dim != z.length) {
      throw new IllegalArgumentException("features hold " + (z == null ? 0 : z.length)
          + " values but " + views + " views x " + batch + " samples x " + dim + " dims = "
          + (long) views * batch * dim + " were expected");
    }
    checkRows(z, batch, views, dim);
    if (labels != null) {
      checkLength("labels", labels, batch);
      for (int i = 0; i < batch; i++) {
        if (labels[i] != 0 && labels[i] != 1) {
          throw new IllegalArgumentException("label of sample " + i + " is " + labels[i]
              + "; the losses are binary: labels must be 0 or 1");
        }
      }
    }
    if (clusters != null) {
      checkClusters(labels, clusters, batch);
    }
    return new ContrastiveBatch(z, batch, views, dim, labels, clusters);
  }

  /** {@code V*B}, the number of rows and of anchors. */
  public int rows() {
    return views * batch;
  }

  /** Labels, or an IllegalArgumentException saying that {@code method} needs them. */
  public int[] requireLabels(String method) {
    if (labels == null) {
      throw new IllegalArgumentException("loss " + method + " needs labels (0/1 per sample)");
    }
    return labels;
  }

  /** Cluster ids, or an IllegalArgumentException saying that {@code method} needs them. */
  public int[] requireClusters(String method) {
    if (clusters == null) {
      throw new IllegalArgumentException("loss " + method
          + " needs subclass (cluster) ids per sample");
    }
    return clusters;
  }

  private static void checkRows(float[] z, int batch, int views, int dim) {
    for (int r = 0; r < views * batch; r++) {
      double sq = 0;
      for (int j = 0; j < dim; j++) {
        float v = z[r * dim + j];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("features contain " + v + " at view " + r / batch
              + " of sample " + r % batch + ", dimension " + j
              + "; the loss needs finite projections (check the model for divergence)");
        }
        sq += (double) v * v;
      }
      double norm = Math.sqrt(sq);
      if (Math.abs(norm - 1) > UNIT_TOLERANCE) {
        throw new IllegalArgumentException(String.format(
            "features of view %d of sample %d have L2 norm %.6g; the losses expect "
                + "L2-normalised projections (|norm - 1| <= %g): normalise the rows first",
            r / batch, r % batch, norm, UNIT_TOLERANCE));
      }
    }
  }

  private static void checkLength(String what, int[] values, int batch) {
    if (values.length != batch) {
      throw new IllegalArgumentException(what + " hold " + values.length
          + " values but the features have " + batch + " samples");
    }
  }

  private static void checkClusters(int[] labels, int[] clusters, int batch) {
    checkLength("cluster ids", clusters, batch);
    Map<Integer, Integer> classOf = new HashMap<>();
    for (int i = 0; i < batch; i++) {
      int c = clusters[i];
      if (c < 0) {
        throw new IllegalArgumentException("cluster id of sample " + i + " is " + c
            + "; subclass ids must be at least 0 (run the clustering before SBCL)");
      }
      if (labels != null) {
        Integer seen = classOf.putIfAbsent(c, labels[i]);
        if (seen != null && seen != labels[i]) {
          throw new IllegalArgumentException("cluster id " + c + " is used by both classes "
              + "(sample " + i + " has label " + labels[i] + "); subclass ids must be unique "
              + "across classes");
        }
      }
    }
  }
}
