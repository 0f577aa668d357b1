package org.ttcspark.augment;

import java.util.SplittableRandom;

/**
 * Every random choice of one training view, drawn before any pixel is touched so that tests
 * can check the draws and the transform can apply them in one go.
 *
 * @param crop the crop box in source pixels
 * @param flip mirror left-right
 * @param jitter apply the colour jitter
 * @param order the jitter operations in the order applied: 0 brightness, 1 contrast,
 *     2 saturation, 3 hue (a permutation of 0..3)
 * @param brightness brightness factor
 * @param contrast contrast factor
 * @param saturation saturation factor
 * @param hue hue shift in turns
 * @param grayscale convert to grayscale
 */
record ViewParams(CropBox crop, boolean flip, boolean jitter, int[] order, float brightness,
    float contrast, float saturation, float hue, boolean grayscale) {

  static final int BRIGHTNESS = 0;
  static final int CONTRAST = 1;
  static final int SATURATION = 2;
  static final int HUE = 3;

  /**
   * Draws the parameters of one view of a {@code height x width} image from
   * {@code new SplittableRandom(seed)}, in this fixed order:
   * <ol>
   *   <li>the crop box ({@link CropBox#randomResized}: 2 doubles per attempt, then 2 ints);
   *   <li>flip: one double, flip if below the flip probability;
   *   <li>jitter: one double, apply if below the jitter probability;
   *   <li>the jitter order: a Fisher-Yates shuffle of 0..3 ({@code nextInt(4)},
   *       {@code nextInt(3)}, {@code nextInt(2)}), like torchvision's {@code randperm(4)};
   *   <li>the brightness, contrast, saturation and hue factors: one double each;
   *   <li>grayscale: one double, convert if below the grayscale probability.
   * </ol>
   * Steps 2 to 6 always draw, whether or not the jitter is applied and whatever the channel
   * count, so one choice never shifts another's draws.
   */
  static ViewParams draw(AugmentConfig c, int height, int width, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    CropBox crop = CropBox.randomResized(rng, height, width, c.cropScaleMin(), c.cropScaleMax(),
        c.cropRatioMin(), c.cropRatioMax());
    boolean flip = rng.nextDouble() < c.flipProbability();
    boolean jitter = rng.nextDouble() < c.jitterProbability();
    int[] order = {0, 1, 2, 3};
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    float b = factor(rng, c.brightness());
    float k = factor(rng, c.contrast());
    float s = factor(rng, c.saturation());
    float h = (float) CropBox.uniform(rng, -c.hue(), c.hue());
    boolean gray = rng.nextDouble() < c.grayscaleProbability();
    return new ViewParams(crop, flip, jitter, order, b, k, s, h, gray);
  }

  /** A factor uniform in {@code [max(0, 1 - strength), 1 + strength]}. */
  private static float factor(SplittableRandom rng, double strength) {
    return (float) CropBox.uniform(rng, Math.max(0, 1 - strength), 1 + strength);
  }
}
