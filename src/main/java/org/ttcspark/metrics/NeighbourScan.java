package org.ttcspark.metrics;

/**
 * Scans one block of rows against column blocks, one at a time, keeping for every row its k
 * nearest other rows and the per-class distance sums; {@link #finish()} turns that into a
 * {@link RepresentationAccumulator}. Memory is {@code rows.count() * (k * 8 + 16)} bytes on
 * top of the two blocks: it depends on the block size and k, never on N * N.
 *
 * <p>Distances are Euclidean between unit rows, d = sqrt(max(0, 2 - 2 x.y)), with d(r, r) = 0.
 * Sums are added in a fixed order (rows, then columns, in the order the column blocks are
 * given), so scanning the same blocks in the same order reproduces the sums bit for bit.
 * Not thread-safe.
 */
public final class NeighbourScan {
  private final StackLayout layout;
  private final EmbeddingBlock rows;
  private final NearestRows[] nearest;
  private final long[] nearestOfSubtype;
  private final int[] subtypeOfNearest;
  private final double[] cad = new double[2];
  private final double[] gpu = new double[2];
  private final double[] sad = new double[2];
  private final long[] sadPairs = new long[2];

  /** A scan of {@code rows} with nothing seen yet. */
  public NeighbourScan(StackLayout layout, EmbeddingBlock rows) {
    this.layout = layout;
    this.rows = rows;
    int kept = Math.min(layout.k(), Math.max(1, layout.rows() - 1));
    this.nearest = new NearestRows[rows.count()];
    for (int i = 0; i < nearest.length; i++) {
      nearest[i] = new NearestRows(kept);
    }
    this.nearestOfSubtype = rows.subtypes() == null ? null : new long[rows.count()];
    this.subtypeOfNearest = rows.subtypes() == null ? null : new int[rows.count()];
    if (nearestOfSubtype != null) {
      java.util.Arrays.fill(nearestOfSubtype, Long.MAX_VALUE);
    }
  }

  /**
   * Compares every row with every row of {@code columns}.
   *
   * @throws IllegalArgumentException if the blocks' dimensions differ
   */
  public void scan(EmbeddingBlock columns) {
    if (columns.count() > 0 && rows.count() > 0 && columns.dim() != rows.dim()) {
      throw new IllegalArgumentException("block at row " + columns.start() + " has dimension "
          + columns.dim() + " but block at row " + rows.start() + " has " + rows.dim());
    }
    int n = layout.samples();
    double t = layout.gpuT();
    for (int i = 0; i < rows.count(); i++) {
      int r = rows.start() + i;
      int label = rows.labels()[i];
      double[] x = rows.rows()[i];
      NearestRows keep = nearest[i];
      for (int j = 0; j < columns.count(); j++) {
        int s = columns.start() + j;
        if (s == r) {
          continue; // d(r, r) = 0 adds nothing to CAD and is no neighbour
        }
        double d2 = Math.max(0.0, 2.0 - 2.0 * dot(x, columns.rows()[j]));
        double d = Math.sqrt(d2);
        int other = columns.labels()[j];
        keep.offer(NearestRows.pack(d, s, other));
        if (other == label) {
          cad[label] += d;
          gpu[label] += Math.exp(-t * d2);
          if (nearestOfSubtype != null && s % n != r % n) {
            long entry = NearestRows.pack(d, s, 0);
            if (entry < nearestOfSubtype[i]) {
              nearestOfSubtype[i] = entry;
              subtypeOfNearest[i] = columns.subtypes()[j];
            }
          }
        }
        if (r < n && s % n == r) {
          sad[label] += d;
          sadPairs[label]++;
        }
      }
    }
  }

  /** The block's contribution, to be merged with the other blocks' in block order. */
  public RepresentationAccumulator finish() {
    RepresentationAccumulator acc = new RepresentationAccumulator(layout);
    for (int i = 0; i < rows.count(); i++) {
      int r = rows.start() + i;
      int label = rows.labels()[i];
      NearestRows keep = nearest[i];
      long first = keep.nearest();
      boolean aligned = first >= 0 && layout.sampleOf(NearestRows.row(first)) == layout.sampleOf(r);
      acc.addNeighbours(label, aligned, keep.countLabel(label), keep.size());
      if (nearestOfSubtype != null && nearestOfSubtype[i] != Long.MAX_VALUE) {
        acc.addSubtype(label, subtypeOfNearest[i] == rows.subtypes()[i]);
      }
    }
    for (int c = 0; c < 2; c++) {
      acc.addDistances(c, cad[c], gpu[c], sad[c], sadPairs[c]);
    }
    return acc;
  }

  /** x.y with four independent partial sums (lets the CPU pipeline the adds). */
  static double dot(double[] x, double[] y) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int d = 0;
    for (; d + 3 < x.length; d += 4) {
      s0 += x[d] * y[d];
      s1 += x[d + 1] * y[d + 1];
      s2 += x[d + 2] * y[d + 2];
      s3 += x[d + 3] * y[d + 3];
    }
    for (; d < x.length; d++) {
      s0 += x[d] * y[d];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
