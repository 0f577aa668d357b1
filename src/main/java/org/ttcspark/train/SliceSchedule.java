package org.ttcspark.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ttcspark.platform.Seeds;

/**
 * How the global-batch trainer lays a train split over its slices and walks through them. Pure
 * and deterministic, so that a run is the same on any cluster with the same number of slices.
 *
 * <p>Every sample belongs to one slice for the whole run: the samples are ranked by a seeded
 * hash of their id and dealt round-robin, so slice sizes differ by at most one and the layout
 * does not depend on how Spark partitioned the input. Each epoch, every slice visits its
 * samples in its own seeded permutation; iteration k takes positions
 * {@code [k*perSlice, (k+1)*perSlice)} of every slice, so a global batch is
 * {@code slices × perSlice} samples. An epoch has as many iterations as the smallest slice
 * fills completely (the remainder waits for a later epoch's permutation).
 *
 * @param slices number of slices (model copies)
 * @param perSlice samples per slice per iteration
 * @param seed the run seed
 * @param shuffle whether epochs permute the slices (false: every epoch walks them in order)
 */
public record SliceSchedule(int slices, int perSlice, long seed, boolean shuffle)
    implements Serializable {

  /** @throws IllegalArgumentException if slices or perSlice is below 1 */
  public SliceSchedule {
    if (slices < 1 || perSlice < 1) {
      throw new IllegalArgumentException("a slice schedule needs at least one slice and one "
          + "sample per slice, not " + slices + " x " + perSlice);
    }
  }

  /** A schedule for a global batch of {@code batchSize} samples over {@code slices} slices. */
  public static SliceSchedule of(int batchSize, int slices, long seed) {
    if (batchSize % slices != 0 || batchSize < slices) {
      throw new IllegalArgumentException("train.batch-size = " + batchSize + " does not split "
          + "over " + slices + " slices; use a multiple of " + slices + ", e.g. "
          + Math.max(slices, batchSize / slices * slices));
    }
    return new SliceSchedule(slices, batchSize / slices, seed, true);
  }

  /** The global batch in samples. */
  public int batchSize() {
    return slices * perSlice;
  }

  /**
   * The slice of every sample, given the samples' keys
   * ({@link org.ttcspark.augment.Augmentations#sampleKey} of their ids).
   *
   * @throws IllegalArgumentException if two samples share a key (duplicate ids)
   */
  public int[] assign(long[] sampleKeys) {
    int n = sampleKeys.length;
    long[][] ranked = new long[n][];
    for (int i = 0; i < n; i++) {
      ranked[i] = new long[] {mix(seed ^ 0x5EEDL, sampleKeys[i]), sampleKeys[i], i};
    }
    Arrays.sort(ranked, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : Long.compare(a[1], b[1]));
    int[] slice = new int[n];
    for (int r = 0; r < n; r++) {
      if (r > 0 && ranked[r][1] == ranked[r - 1][1]) {
        throw new IllegalArgumentException("two train samples have the same id key "
            + ranked[r][1] + "; sample ids must be unique");
      }
      slice[(int) ranked[r][2]] = r % slices;
    }
    return slice;
  }

  /** Iterations of one epoch, given the size of the smallest slice. */
  public int iterationsPerEpoch(int smallestSlice) {
    return smallestSlice / perSlice;
  }

  /**
   * The positions (into the slice's samples, sorted by key) that iteration {@code k} of
   * {@code epoch} takes from slice {@code slice} of {@code size} samples.
   */
  public int[] positions(int epoch, int k, int slice, int size) {
    return positions(order(epoch, slice, size), k);
  }

  /** The positions iteration {@code k} takes from an epoch's {@link #order} of a slice. */
  public int[] positions(int[] order, int k) {
    return Arrays.copyOfRange(order, k * perSlice, (k + 1) * perSlice);
  }

  /** The epoch's visiting order of a slice: a seeded Fisher-Yates permutation. */
  public int[] order(int epoch, int slice, int size) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom rng = new SplittableRandom(mix(mix(seed, epoch), slice));
      for (int i = size - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  private static long mix(long a, long b) {
    return Seeds.derive(a, b);
  }
}
