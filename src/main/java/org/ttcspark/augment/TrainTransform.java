package org.ttcspark.augment;

/**
 * A training view by the SimCLR recipe (Chen et al., "A Simple Framework for Contrastive
 * Learning of Visual Representations", ICML 2020) in torchvision's semantics:
 * {@code RandomResizedCrop(size, scale, ratio)} with bilinear resampling,
 * {@code RandomHorizontalFlip}, {@code RandomApply([ColorJitter(b, c, s, h)], p)} (the four
 * operations in random order), {@code RandomGrayscale}, then a clamp to [0, 1]. The medical
 * grayscale variant is the same transform with other parameters. Gray (1-channel) images skip
 * saturation, hue and grayscale.
 *
 * <p>Crop, resize and flip are one resampling pass; the colour operations then work in place on
 * the output. Draws are listed in {@link ViewParams#draw}.
 */
final class TrainTransform implements ViewTransform {
  private static final long serialVersionUID = 1L;

  private final AugmentConfig config;

  TrainTransform(AugmentConfig config) {
    this.config = config;
  }

  @Override
  public Image apply(Image in, long seed) {
    return apply(in, ViewParams.draw(config, in.height(), in.width(), seed));
  }

  /** The view for already drawn parameters. */
  Image apply(Image in, ViewParams v) {
    Image out = Resampler.resizedCrop(in, v.crop(), config.size(), v.flip());
    float[] p = out.pixels();
    int plane = out.planeSize();
    boolean rgb = out.channels() == 3;
    if (v.jitter()) {
      for (int op : v.order()) {
        switch (op) {
          case ViewParams.BRIGHTNESS -> {
            if (config.brightness() > 0) {
              ColorOps.brightness(p, v.brightness());
            }
          }
          case ViewParams.CONTRAST -> {
            if (config.contrast() > 0) {
              ColorOps.contrast(p, out.channels(), plane, v.contrast());
            }
          }
          case ViewParams.SATURATION -> {
            if (rgb && config.saturation() > 0) {
              ColorOps.saturation(p, plane, v.saturation());
            }
          }
          default -> {
            if (rgb && config.hue() > 0) {
              ColorOps.hue(p, plane, v.hue());
            }
          }
        }
      }
    }
    if (rgb && v.grayscale()) {
      ColorOps.grayscale(p, plane);
    }
    return out;
  }

  /** The parameters {@link #apply(Image, long)} draws for an image of this size. */
  ViewParams draw(int height, int width, long seed) {
    return ViewParams.draw(config, height, width, seed);
  }
}
