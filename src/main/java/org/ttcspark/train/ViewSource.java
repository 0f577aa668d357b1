package org.ttcspark.train;

import java.io.Serializable;

/**
 * Draws one augmented view of a sample: the seam between training and the augmentation
 * pipeline. A view is a pure function of the sample and the seed, so that a re-forward can
 * redraw exactly the same view.
 */
public interface ViewSource extends Serializable {
  /**
   * View pixels {@code [channels, size, size]}, normalised.
   *
   * @param sample the decoded image
   * @param seed the draw's seed (from {@link #viewSeed})
   */
  float[] view(TrainSample sample, long seed);

  /** Side of the produced views, in pixels. */
  int size();

  /** The seed of view {@code view} of a sample in an epoch: SplitMix64 over the four values. */
  static long viewSeed(long runSeed, int epoch, String sampleId, int view) {
    long z = runSeed;
    z = mix(z + epoch);
    z = mix(z + sampleId.hashCode());
    return mix(z + view);
  }

  private static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
