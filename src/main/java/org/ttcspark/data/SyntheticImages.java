package org.ttcspark.data;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * The generative recipe of the synthetic source: seeded RGB images in which the label decides
 * the object's shape and the latent sub-type decides the background, so that a representation
 * can keep or lose the within-class structure.
 *
 * <p>Recipe for an image of side s with label y and sub-type k (modes are shared by both labels:
 * sub-type k of label 0 and of label 1 look alike, so the background alone never tells the
 * label apart, except that a label with more sub-types also uses modes the other lacks):
 * <ol>
 *   <li>background: hue k / M (M = the larger sub-type count), saturation 0.5, value 0.55,
 *       overlaid with a sine stripe texture of amplitude 0.12 and period s / 5 at angle
 *       k * 180° / M, phase random;</li>
 *   <li>object: a disc (label 0) or a square rotated by a random angle (label 1), radius (or
 *       half side) uniform in [0.18 s, 0.32 s], centre uniform where it fits, colour of a
 *       hue drawn uniformly with saturation 0.8 and value 0.95: from the whole hue circle for
 *       both labels, or, with {@code hueSplit} h in (0, 1), from [0, h) for label 0 and [h, 1)
 *       for label 1;</li>
 *   <li>with {@code texture} > 0, the square of label 1 carries a square-wave stripe pattern
 *       of that contrast, period max(2, s / 8), along the square's rotation: a local label cue
 *       that survives crops and colour jitter (no random draw, so images with texture 0 are
 *       unchanged);</li>
 *   <li>independent Gaussian noise of standard deviation {@code noise} on every sample, then
 *       clipping to [0, 1] and rounding to 8 bits.</li>
 * </ol>
 * Every image is a function of (seed, split, label, index) only, so executors render any image
 * without coordination.
 */
public final class SyntheticImages {
  private SyntheticImages() {}

  /**
   * Renders one image.
   *
   * @param seed master seed
   * @param split 0 train, 1 val, 2 test
   * @param label 0 or 1
   * @param index image number within (split, label)
   * @param subtype the latent sub-type, in [0, modes)
   * @param modes the number of background modes (the larger sub-type count)
   * @param size side in pixels
   * @param noise pixel noise standard deviation in [0, 1] units
   * @return 8-bit RGB pixels [size, size, 3]
   */
  public static byte[] render(long seed, int split, int label, long index, int subtype,
      int modes, int size, double noise) {
    return render(seed, split, label, index, subtype, modes, size, noise, 0);
  }

  /**
   * Renders one image, with the label-1 texture of contrast {@code texture} (0: none).
   *
   * @see #render(long, int, int, long, int, int, int, double)
   */
  public static byte[] render(long seed, int split, int label, long index, int subtype,
      int modes, int size, double noise, double texture) {
    return render(seed, split, label, index, subtype, modes, size, noise, texture, 0);
  }

  /**
   * Renders one image, with the label-1 texture of contrast {@code texture} (0: none) and the
   * object hues split by label at {@code hueSplit} (0: not split).
   *
   * @see #render(long, int, int, long, int, int, int, double)
   */
  public static byte[] render(long seed, int split, int label, long index, int subtype,
      int modes, int size, double noise, double texture, double hueSplit) {
    double texturePeriod = Math.max(2, size / 8.0);
    SplittableRandom rng = new SplittableRandom(mix(seed, split, label, index));
    Color bg = Color.getHSBColor((float) subtype / modes, 0.5f, 0.55f);
    double angle = Math.PI * subtype / modes;
    double dx = Math.cos(angle);
    double dy = Math.sin(angle);
    double period = Math.max(3, size / 5.0);
    double phase = rng.nextDouble() * 2 * Math.PI;
    double radius = size * (0.18 + 0.14 * rng.nextDouble());
    double cx = radius + rng.nextDouble() * (size - 2 * radius);
    double cy = radius + rng.nextDouble() * (size - 2 * radius);
    double rot = rng.nextDouble() * Math.PI / 2;
    double hueDraw = rng.nextDouble();
    // the same draw either way, so that a split moves the hue and nothing else
    double hue = hueSplit <= 0 ? hueDraw
        : label == 0 ? hueDraw * hueSplit : hueSplit + hueDraw * (1 - hueSplit);
    Color fg = Color.getHSBColor((float) hue, 0.8f, 0.95f);
    float[] bgRgb = bg.getRGBColorComponents(null);
    float[] fgRgb = fg.getRGBColorComponents(null);
    double cos = Math.cos(rot);
    double sin = Math.sin(rot);
    byte[] px = new byte[size * size * 3];
    int i = 0;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double u = x + 0.5 - cx;
        double v = y + 0.5 - cy;
        boolean inside = label == 0 ? u * u + v * v <= radius * radius
            : Math.abs(u * cos + v * sin) <= radius * 0.85 && Math.abs(-u * sin + v * cos)
                <= radius * 0.85;
        double stripe = 0.12 * Math.sin(2 * Math.PI * (x * dx + y * dy) / period + phase);
        float[] rgb = inside ? fgRgb : bgRgb;
        double mark = inside && label == 1 && texture > 0
            ? (Math.sin(2 * Math.PI * (u * cos + v * sin) / texturePeriod) >= 0 ? -texture : 0)
            : 0;
        for (int ch = 0; ch < 3; ch++) {
          double value = rgb[ch] + (inside ? mark : stripe) + noise * rng.nextGaussian();
          px[i++] = (byte) Math.round(255 * Math.min(1, Math.max(0, value)));
        }
      }
    }
    return px;
  }

  private static long mix(long seed, int split, int label, long index) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h = (h ^ split) * 0xBF58476D1CE4E5B9L;
    h = (h ^ label) * 0x94D049BB133111EBL;
    return h ^ (index * 0xD6E8FEB86659FD93L);
  }
}
