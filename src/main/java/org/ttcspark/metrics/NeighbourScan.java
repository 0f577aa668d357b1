package org.ttcspark.metrics;

/**
 * Scans one block of rows against column blocks, one at a time, keeping for every row its k
 * nearest other rows and the per-class distance sums; {@link #finish()} turns that into a
 * {@link RepresentationAccumulator}.
 *
 * <p>The Gram matrix {@code G = X Y^T} of a block pair comes from float64 GEMM, one call per
 * strip of {@link #STRIP} rows so that the strip's Gram rows, distances and exponentials stay
 * in the L2 cache (the rows x columns tile is never held; one GEMM over the whole tile measured
 * no faster and would hold block-size^2 doubles). Distances, exponentials and per-class sums
 * are a few vectorised passes per strip, and the neighbour search one compare per pair,
 * instead of a dot product of D doubles per pair. Memory on top of the two blocks: strip
 * buffers of {@code 2 * STRIP * columns * 8} bytes and for every row a buffer of 2k
 * candidates ({@code rows * 2k * 8} bytes): it depends on the block size and k, never on N * N.
 *
 * <p>Distances are Euclidean between unit rows, d = sqrt(max(0, 2 - 2 x.y)), with d(r, r) = 0.
 * Every sum is a function of the block pair alone (its strips have the same shapes whoever
 * computes them) and is added in a fixed order (rows, then column blocks in the order
 * given), so scanning the same blocks in the same order reproduces the sums bit for bit.
 * Not thread-safe.
 */
public final class NeighbourScan {
  /** Tile rows per strip: a strip of 1 024 columns (2 x 256 KiB) stays in the L2 cache. */
  static final int STRIP = 32;

  private final StackLayout layout;
  private final EmbeddingBlock rows;
  private final NearestRows[] nearest;
  private final long[] nearestOfSubtype;
  private final int[] subtypeOfNearest;
  private final double[] cad = new double[2];
  private final double[] gpu = new double[2];
  private final double[] sad = new double[2];
  private final long[] sadPairs = new long[2];
  private double[] strip = new double[0];
  private double[] oneHot = new double[0];
  private final double[] sums = new double[4 * STRIP];

  /** A scan of {@code rows} with nothing seen yet. */
  public NeighbourScan(StackLayout layout, EmbeddingBlock rows) {
    this.layout = layout;
    this.rows = rows;
    int kept = Math.min(layout.k(), Math.max(1, layout.rows() - 1));
    this.nearest = new NearestRows[rows.count()];
    int[] histogram = new int[NearestRows.BUCKETS];
    for (int i = 0; i < nearest.length; i++) {
      nearest[i] = new NearestRows(kept, histogram);
    }
    this.nearestOfSubtype = rows.subtypes() == null ? null : new long[rows.count()];
    this.subtypeOfNearest = rows.subtypes() == null ? null : new int[rows.count()];
    if (nearestOfSubtype != null) {
      java.util.Arrays.fill(nearestOfSubtype, Long.MAX_VALUE);
    }
    DoubleBlas.oneThread();
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
    int r = rows.count();
    int c = columns.count();
    if (r == 0 || c == 0) {
      return;
    }
    ensureCapacity(c);
    int[] labels = columns.labels();
    for (int j = 0; j < c; j++) {
      oneHot[2 * j] = labels[j] == 0 ? 1.0 : 0.0;
      oneHot[2 * j + 1] = labels[j] == 1 ? 1.0 : 0.0;
    }
    for (int a = 0; a < r; a += STRIP) {
      scanStrip(columns, a, Math.min(STRIP, r - a));
    }
  }

  /**
   * Tile rows {@code a .. a + h - 1}: their Gram rows by GEMM into the strip's first half,
   * turned into distances in place, exp(-t d^2) into its second half, per-class row sums of
   * both by one small GEMM, then neighbours and SAD per row.
   */
  private void scanStrip(EmbeddingBlock columns, int a, int h) {
    int c = columns.count();
    double t = layout.gpuT();
    int half = h * c;
    DoubleBlas.gram(rows.values(), a * rows.dim(), h, columns.values(), c, rows.dim(), strip);
    for (int q = 0; q < half; q++) {
      double d2 = Math.max(0.0, 2.0 - 2.0 * strip[q]);
      strip[q] = Math.sqrt(d2);
      strip[half + q] = -t * d2;
    }
    DoubleBlas.expInPlace(strip, half, half);
    int self = rows.start() + a - columns.start(); // column of tile row a itself, if present
    for (int i = 0; i < h; i++) {
      if (self + i >= 0 && self + i < c) {
        strip[i * c + self + i] = 0.0; // d(r, r) = 0 exactly, and no exp(0) = 1 for GPU
        strip[half + i * c + self + i] = 0.0;
      }
    }
    DoubleBlas.classSums(strip, 2 * h, c, oneHot, sums);
    for (int i = 0; i < h; i++) {
      int label = rows.labels()[a + i];
      cad[label] += sums[2 * i + label];
      gpu[label] += sums[2 * (h + i) + label];
      neighbours(columns, a + i, i * c);
    }
  }

  /** Offers the columns of tile row {@code i} (distances at {@code strip[off ..]}). */
  private void neighbours(EmbeddingBlock columns, int i, int off) {
    int r = rows.start() + i;
    int label = rows.labels()[i];
    int c = columns.count();
    int start = columns.start();
    int[] labels = columns.labels();
    NearestRows keep = nearest[i];
    double limit = keep.limit();
    for (int j = 0; j < c; j++) {
      double d = strip[off + j];
      if (d <= limit && start + j != r) {
        keep.offer(NearestRows.pack(d, start + j, labels[j]));
        limit = keep.limit();
      }
    }
    int n = layout.samples();
    if (r < n) {
      for (int s = r + n; s < layout.rows(); s += n) {
        if (s >= start && s < start + c) {
          sad[label] += strip[off + s - start];
          sadPairs[label]++;
        }
      }
    }
    if (nearestOfSubtype != null) {
      for (int j = 0; j < c; j++) {
        int s = start + j;
        if (s != r && labels[j] == label && s % n != r % n) {
          long entry = NearestRows.pack(strip[off + j], s, 0);
          if (entry < nearestOfSubtype[i]) {
            nearestOfSubtype[i] = entry;
            subtypeOfNearest[i] = columns.subtypes()[j];
          }
        }
      }
    }
  }

  private void ensureCapacity(int c) {
    if (strip.length < 2 * STRIP * c) {
      strip = new double[2 * STRIP * c];
      oneHot = new double[2 * c];
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
}
