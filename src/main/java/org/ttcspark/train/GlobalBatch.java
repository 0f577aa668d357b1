package org.ttcspark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The slices of one iteration gathered into one batch in sample-key order (so the batch does
 * not depend on how it was split), and gradients scattered back to the slices.
 *
 * @param rows {@code [B, views * width]}: every sample's rows, sample-major as the model emits
 * @param labels {@code [B]}
 * @param batch B
 * @param views rows per sample
 * @param width values per row
 * @param order per sample of the batch: its slice and its position there
 */
public record GlobalBatch(float[] rows, int[] labels, int batch, int views, int width,
    int[][] order) {
  /** Gathers the slices' rows, each {@code views * width} values per sample. */
  public static GlobalBatch of(List<SliceLoss.Slice> slices, int views, int width) {
    int b = 0;
    for (SliceLoss.Slice s : slices) {
      if (s.projections().length != (long) s.samples() * views * width) {
        throw new IllegalArgumentException("a slice holds " + s.projections().length
            + " values for " + s.samples() + " samples x " + views + " views x " + width);
      }
      b += s.samples();
    }
    long[][] keyed = new long[b][];
    int at = 0;
    for (int p = 0; p < slices.size(); p++) {
      for (int i = 0; i < slices.get(p).samples(); i++) {
        keyed[at++] = new long[] {slices.get(p).keys()[i], p, i};
      }
    }
    Arrays.sort(keyed, Comparator.comparingLong(o -> o[0]));
    int row = views * width;
    float[] rows = new float[b * row];
    int[] labels = new int[b];
    int[][] order = new int[b][];
    for (int j = 0; j < b; j++) {
      SliceLoss.Slice s = slices.get((int) keyed[j][1]);
      int i = (int) keyed[j][2];
      System.arraycopy(s.projections(), i * row, rows, j * row, row);
      labels[j] = s.labels()[i];
      order[j] = new int[] {(int) keyed[j][1], i};
    }
    return new GlobalBatch(rows, labels, b, views, width, order);
  }

  /** Columns {@code [from, from + n)} of view v of every sample: {@code [B, n]}. */
  public float[] columns(int view, int from, int n) {
    float[] out = new float[batch * n];
    for (int j = 0; j < batch; j++) {
      System.arraycopy(rows, (j * views + view) * width + from, out, j * n, n);
    }
    return out;
  }

  /** Adds {@code g} ({@code [B, n]}) times {@code scale} into columns of view v of {@code into}. */
  public void addColumns(float[] into, int view, int from, int n, float[] g, double scale) {
    for (int j = 0; j < batch; j++) {
      int base = (j * views + view) * width + from;
      for (int k = 0; k < n; k++) {
        into[base + k] += (float) (scale * g[j * n + k]);
      }
    }
  }

  /** A gradient in the layout of {@link #rows} split back into per-slice arrays. */
  public List<float[]> scatter(float[] grad, List<SliceLoss.Slice> slices) {
    List<float[]> out = new ArrayList<>(slices.size());
    int row = views * width;
    for (SliceLoss.Slice s : slices) {
      out.add(new float[s.samples() * row]);
    }
    for (int j = 0; j < batch; j++) {
      System.arraycopy(grad, j * row, out.get(order[j][0]), order[j][1] * row, row);
    }
    return out;
  }
}
