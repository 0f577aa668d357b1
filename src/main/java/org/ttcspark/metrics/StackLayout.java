package org.ttcspark.metrics;

import java.io.Serializable;

/**
 * The shape of a view-major stack of embeddings and the metric parameters that depend on it.
 *
 * @param samples n, the number of samples
 * @param views V, views per sample (1 or more); row {@code v * n + s} is view v of sample s
 * @param k neighbours of the class alignment consistency, at least 1
 * @param gpuT t of the Gaussian potential exp(-t ||x - y||^2), greater than 0
 */
public record StackLayout(int samples, int views, int k, double gpuT) implements Serializable {

  public StackLayout {
    if (samples < 1 || views < 1 || (long) samples * views > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("cannot stack " + samples + " samples x " + views
          + " views: need at least one of each and fewer than 2^30 rows");
    }
    if (k < 1 || !(gpuT > 0)) {
      throw new IllegalArgumentException("k must be at least 1 and t positive, got k=" + k
          + " t=" + gpuT);
    }
  }

  /**
   * The layout of {@code rows} embeddings in {@code views} views with neighbour count k = max(1, floor(0.05 N))
   * k = max(1, floor(fraction * rows)).
   *
   * @throws IllegalArgumentException if rows is not a multiple of views
   */
  public static StackLayout of(int rows, int views, double cacFraction, double gpuT) {
    if (views < 1 || rows % views != 0) {
      throw new IllegalArgumentException(rows + " embeddings cannot be " + views + " views of "
          + "the same samples: the row count must be a multiple of the view count (set --views "
          + "to the number of views stacked, 1 for plain embeddings)");
    }
    int k = Math.max(1, (int) Math.floor(cacFraction * rows));
    return new StackLayout(rows / views, views, k, gpuT);
  }

  /** N = n * V, the number of rows. */
  public int rows() {
    return samples * views;
  }

  /** The sample of a row. */
  public int sampleOf(int row) {
    return row % samples;
  }
}
