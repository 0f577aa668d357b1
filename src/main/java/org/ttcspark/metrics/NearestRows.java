package org.ttcspark.metrics;

/**
 * The k nearest other rows of one row, as packed longs. Candidates are appended to a buffer of
 * {@code 2k} (at least {@code k + 32}) slots; when it is full, a histogram of the buffer's
 * distances in buckets of width 1/1024 finds the bucket that holds the k-th smallest, and
 * everything beyond that bucket is dropped and barred from then on ({@link #limit()} is the
 * one compare the scan makes per pair). If a crowded bucket still fills half the buffer, a
 * selection keeps the exact k smallest. A row's state is its buffer, written sequentially: a
 * binary heap would pay log k scattered accesses for each of the k (1 + ln(N / k)) candidates a
 * row sees in random order, and a per-row histogram a cache miss each. Memory per row:
 * {@code 2k * 8} bytes, plus one histogram of {@link #BUCKETS} ints shared by all rows of a scan.
 *
 * <p>An entry packs (distance, row index, label) into one long whose natural order is the
 * order the metrics need: by distance, then by lower row index (the tie rule of the reference,
 * which takes the first minimum), label last. The distance keeps float32 precision: the
 * ordering of two rows can differ from a float64 comparison only when their distances agree to
 * about 1e-7, far below any decision gap the metrics are meant to resolve. Entries of one row
 * are distinct (each candidate row is offered once), so the k smallest are one set whatever the
 * order of the offers.
 */
public final class NearestRows {
  /** Distance buckets of width 1/1024 over [0, 2], the range between unit vectors. */
  public static final int BUCKETS = 2 * 1024 + 2;
  private static final float SCALE = 1024f;

  private final int k;
  private final long[] buffer;
  private final int[] histogram;
  private int size;
  private long bound = Long.MAX_VALUE; // entries at or above it cannot be among the k nearest
  private double limit = Double.POSITIVE_INFINITY;

  /** An empty list that keeps at most {@code k} entries. */
  public NearestRows(int k) {
    this(k, new int[BUCKETS]);
  }

  /**
   * An empty list that keeps at most {@code k} entries and counts in {@code histogram}
   * ({@link #BUCKETS} zeros, left zero after every use), shared by the lists of one thread.
   */
  public NearestRows(int k, int[] histogram) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    this.k = k;
    this.buffer = new long[k + Math.max(k, 32)];
    this.histogram = histogram;
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

  /** Offers one candidate; keeps it if it may be among the k smallest. */
  public void offer(long entry) {
    if (entry >= bound) {
      return;
    }
    buffer[size++] = entry;
    if (size == buffer.length) {
      compact();
    }
  }

  /** True if {@code entry} would be kept for now (cheap pre-check before packing work). */
  public boolean wouldKeep(long entry) {
    return entry < bound;
  }

  /**
   * A distance above which no candidate can be kept any more (+infinity until the buffer first
   * filled): the float64 pre-check of the scan's inner loop, which packs only what passes it.
   */
  public double limit() {
    return limit;
  }

  private static int bucket(long entry) {
    float d = Float.intBitsToFloat((int) (entry >>> 32));
    return Math.min(BUCKETS - 1, (int) (d * SCALE)); // exact: SCALE is a power of two
  }

  /** Bars what lies beyond the bucket of the k-th smallest; selects if that is not enough. */
  private void compact() {
    for (int i = 0; i < size; i++) {
      histogram[bucket(buffer[i])]++;
    }
    int cut = 0;
    for (int seen = histogram[0]; seen < k; seen += histogram[++cut]) {
      // the smallest bucket with k entries at or below it
    }
    java.util.Arrays.fill(histogram, 0);
    if (cut < BUCKETS - 1) {
      float edge = (cut + 1) / SCALE; // a float at or beyond it lies beyond the cut bucket
      bound = Math.min(bound, (long) Float.floatToRawIntBits(edge) << 32);
      limit = Math.min(limit, edge); // d above it rounds to a float at or beyond the edge
    }
    int w = 0;
    for (int i = 0; i < size; i++) {
      long e = buffer[i];
      buffer[w] = e;
      w += e < bound ? 1 : 0;
    }
    size = w;
    if (size > buffer.length / 2 + k / 2) {
      settle();
    }
  }

  /** Number of entries kept (k, or fewer when fewer candidates were offered). */
  public int size() {
    settle();
    return size;
  }

  /** The nearest entry, or -1 when empty. Linear in k. */
  public long nearest() {
    settle();
    long best = -1;
    for (int i = 0; i < size; i++) {
      if (best < 0 || buffer[i] < best) {
        best = buffer[i];
      }
    }
    return best;
  }

  /** How many kept entries carry {@code label}. */
  public int countLabel(int label) {
    settle();
    int c = 0;
    for (int i = 0; i < size; i++) {
      if (label(buffer[i]) == label) {
        c++;
      }
    }
    return c;
  }

  /** Keeps the k smallest entries and sets the bar just above the largest of them. */
  private void settle() {
    if (size <= k) {
      return;
    }
    select(buffer, 0, size - 1, k - 1);
    size = k;
    long largest = buffer[0];
    for (int i = 1; i < k; i++) {
      largest = Math.max(largest, buffer[i]);
    }
    bound = Math.min(bound, largest + 1);
    // a candidate whose float32 distance exceeds the bar's cannot pass it, whatever its row
    limit = Math.min(limit, Math.nextUp(Float.intBitsToFloat((int) (largest >>> 32))));
  }

  /** Moves the {@code n}-th smallest of {@code a[lo..hi]} to index n, smaller ones before it. */
  static void select(long[] a, int lo, int hi, int n) {
    while (hi > lo) {
      int mid = (lo + hi) >>> 1;
      // median of three as the pivot, deterministic
      if (a[mid] < a[lo]) {
        swap(a, mid, lo);
      }
      if (a[hi] < a[lo]) {
        swap(a, hi, lo);
      }
      if (a[hi] < a[mid]) {
        swap(a, hi, mid);
      }
      long pivot = a[mid];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          swap(a, i++, j--);
        }
      }
      if (n <= j) {
        hi = j;
      } else if (n >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  private static void swap(long[] a, int i, int j) {
    long t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
