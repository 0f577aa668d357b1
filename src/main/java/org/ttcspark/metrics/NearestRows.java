package org.ttcspark.metrics;

/**
 * The k nearest other rows of one row, kept as a bounded max-heap of packed longs so that a
 * block of rows holds {@code count * k * 8} bytes and nothing else.
 *
 * <p>An entry packs (distance, row index, label) into one long whose natural order is the
 * order the metrics need: by distance, then by lower row index (the tie rule of the reference,
 * which takes the first minimum), label last. The distance keeps float32 precision: the
 * ordering of two rows can differ from a float64 comparison only when their distances agree to
 * about 1e-7, far below any decision gap the metrics are meant to resolve.
 */
public final class NearestRows {
  private final long[] heap;
  private int size;

  /** An empty list that keeps at most {@code k} entries. */
  public NearestRows(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    this.heap = new long[k];
  }

  /** Packs a non-negative distance, a row index and a 0/1 label into one ordered long. */
  public static long pack(double distance, int row, int label) {
    long bits = Float.floatToRawIntBits((float) distance);
    return bits << 32 | (long) row << 1 | label;
  }

  /** The row index of a packed entry. */
  public static int row(long entry) {
    return (int) (entry & 0xFFFF_FFFFL) >>> 1;
  }

  /** The label of a packed entry. */
  public static int label(long entry) {
    return (int) (entry & 1L);
  }

  /** Offers one candidate; keeps it if it is among the k smallest seen so far. */
  public void offer(long entry) {
    if (size < heap.length) {
      heap[size] = entry;
      siftUp(size++);
    } else if (entry < heap[0]) {
      heap[0] = entry;
      siftDown(0);
    }
  }

  /** True if {@code entry} would be kept (cheap pre-check before packing work). */
  public boolean wouldKeep(long entry) {
    return size < heap.length || entry < heap[0];
  }

  /** Number of entries kept (k, or fewer when fewer candidates were offered). */
  public int size() {
    return size;
  }

  /** The nearest entry, or -1 when empty. Linear in k. */
  public long nearest() {
    long best = -1;
    for (int i = 0; i < size; i++) {
      if (best < 0 || heap[i] < best) {
        best = heap[i];
      }
    }
    return best;
  }

  /** How many kept entries carry {@code label}. */
  public int countLabel(int label) {
    int c = 0;
    for (int i = 0; i < size; i++) {
      if (label(heap[i]) == label) {
        c++;
      }
    }
    return c;
  }

  private void siftUp(int i) {
    long x = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] >= x) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = x;
  }

  private void siftDown(int i) {
    long x = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      if (child + 1 < size && heap[child + 1] > heap[child]) {
        child++;
      }
      if (x >= heap[child]) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = x;
  }
}
