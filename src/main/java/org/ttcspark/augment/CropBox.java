package org.ttcspark.augment;

import java.util.SplittableRandom;

/**
 * A crop rectangle in source pixels.
 *
 * @param top first row
 * @param left first column
 * @param height rows, at least 1
 * @param width columns, at least 1
 */
record CropBox(int top, int left, int height, int width) {

  /** Attempts before falling back to a centre crop, as torchvision's RandomResizedCrop. */
  static final int ATTEMPTS = 10;

  /**
   * torchvision's {@code RandomResizedCrop.get_params}: up to {@value #ATTEMPTS} times, draw an
   * area fraction uniformly from {@code [scaleMin, scaleMax]} and a log aspect ratio
   * (width / height) uniformly from {@code [ln ratioMin, ln ratioMax]}; round width and height
   * half to even (Python's {@code round}); accept the first box that fits and draw its top,
   * then its left corner uniformly. If none fits, take the centre crop with the aspect ratio
   * clamped to the range.
   *
   * <p>Draws, in order: per attempt {@code nextDouble()} (scale), {@code nextDouble()} (ratio);
   * then, on success, {@code nextInt(height - h + 1)}, {@code nextInt(width - w + 1)}.
   */
  static CropBox randomResized(SplittableRandom rng, int height, int width, double scaleMin,
      double scaleMax, double ratioMin, double ratioMax) {
    double area = (double) height * width;
    double logMin = Math.log(ratioMin);
    double logMax = Math.log(ratioMax);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double target = area * uniform(rng, scaleMin, scaleMax);
      double aspect = Math.exp(uniform(rng, logMin, logMax));
      int w = (int) Math.rint(Math.sqrt(target * aspect));
      int h = (int) Math.rint(Math.sqrt(target / aspect));
      if (w > 0 && w <= width && h > 0 && h <= height) {
        int top = rng.nextInt(height - h + 1);
        int left = rng.nextInt(width - w + 1);
        return new CropBox(top, left, h, w);
      }
    }
    double inRatio = (double) width / height;
    int w = width;
    int h = height;
    if (inRatio < ratioMin) {
      h = Math.max(1, (int) Math.rint(w / ratioMin));
    } else if (inRatio > ratioMax) {
      w = Math.max(1, (int) Math.rint(h * ratioMax));
    }
    return new CropBox((height - h) / 2, (width - w) / 2, h, w);
  }

  /** A uniform draw from {@code [lo, hi)}, or {@code lo} when the range is empty. */
  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }

  /** Area of the box over the area of a {@code height x width} image. */
  double areaFraction(int imageHeight, int imageWidth) {
    return (double) height * width / ((double) imageHeight * imageWidth);
  }
}
