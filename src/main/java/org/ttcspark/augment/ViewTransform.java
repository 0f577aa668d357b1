package org.ttcspark.augment;

import java.io.Serializable;

/**
 * Makes one view of an image: a pure function of the image and a seed, shipped to the
 * executors inside Spark closures (hence {@link Serializable}). Implementations are immutable
 * and thread-safe.
 *
 * <p>The output is {@code size x size} (the configured side) with the input's channel count
 * and values in {@code [0, 1]}; it is not normalised (see {@link Augmentations#normalize}).
 * The same {@code (in, seed)} gives the same output, bit for bit, on every JVM.
 */
public interface ViewTransform extends Serializable {

  /**
   * @param in the source image, not changed
   * @param seed seeds every random draw of this view (see {@link Augmentations#viewSeed});
   *     ignored by deterministic transforms
   * @return a new image
   */
  Image apply(Image in, long seed);
}
