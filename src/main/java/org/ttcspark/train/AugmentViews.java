package org.ttcspark.train;

import org.ttcspark.augment.Augmentations;
import org.ttcspark.augment.ViewTransform;

/**
 * Training views from the augment stage: the configured view transform (SimCLR recipe, medical
 * variant or evaluation transform) followed by normalisation with the manifest's per-channel
 * mean and standard deviation.
 *
 * @param transform the view transform (its output side is {@code size})
 * @param size side of the views in pixels
 * @param mean per-channel mean of the train split
 * @param std per-channel standard deviation of the train split
 */
public record AugmentViews(ViewTransform transform, int size, float[] mean, float[] std)
    implements ViewSource {
  @Override
  public float[] view(TrainSample s, long seed) {
    return Augmentations.normalize(transform.apply(s.image(), seed), mean, std);
  }
}
