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
   * @param seed the draw's seed (from {@link org.ttcspark.augment.Augmentations#viewSeed})
   */
  float[] view(TrainSample sample, long seed);

  /** Side of the produced views, in pixels. */
  int size();

  /**
   * Channels of the views produced from {@code sample}: the image's own, unless the source
   * turns views into something else (feature maps of a frozen backbone).
   */
  default int channels(TrainSample sample) {
    return sample.channels();
  }
}
