package org.ttcspark.augment;

/**
 * In-place colour operations on CHW pixel arrays with values in [0, 1], each one a copy of
 * torchvision's tensor implementation ({@code transforms.functional}) in float arithmetic.
 * Blends clamp to [0, 1] after every operation, as torchvision's {@code _blend} does, so the
 * order of the operations matters.
 *
 * <p>Luma is ITU-R 601-2: {@code 0.299 R + 0.587 G + 0.114 B}.
 */
final class ColorOps {
  static final float LUMA_R = 0.299f;
  static final float LUMA_G = 0.587f;
  static final float LUMA_B = 0.114f;

  private ColorOps() {}

  /** Clamp for per-pixel code; a well-predicted branch beats the NaN-aware Math.min there. */
  static float clamp(float v) {
    return v < 0f ? 0f : (v > 1f ? 1f : v);
  }

  /** Clamp for simple array loops, where Math.min/max let the compiler vectorise. */
  private static float clampVector(float v) {
    return Math.max(0f, Math.min(1f, v));
  }

  /** {@code adjust_brightness}: blends with black, {@code x * factor}. */
  static void brightness(float[] p, float factor) {
    for (int i = 0; i < p.length; i++) {
      p[i] = clampVector(p[i] * factor);
    }
  }

  /**
   * {@code adjust_contrast}: blends with the mean of the grayscale image (the mean of the
   * single channel for gray images), {@code factor * x + (1 - factor) * mean}.
   */
  static void contrast(float[] p, int channels, int plane, float factor) {
    double sum = 0;
    if (channels == 3) {
      for (int i = 0; i < plane; i++) {
        sum += LUMA_R * p[i] + LUMA_G * p[plane + i] + LUMA_B * p[2 * plane + i];
      }
    } else {
      for (int i = 0; i < plane; i++) {
        sum += p[i];
      }
    }
    float shift = (float) ((1.0 - factor) * (sum / plane));
    for (int i = 0; i < p.length; i++) {
      p[i] = clampVector(factor * p[i] + shift);
    }
  }

  /** {@code adjust_saturation} (RGB only): blends each pixel with its own luma. */
  static void saturation(float[] p, int plane, float factor) {
    float keep = 1f - factor;
    for (int i = 0; i < plane; i++) {
      float r = p[i];
      float g = p[plane + i];
      float b = p[2 * plane + i];
      float gray = keep * (LUMA_R * r + LUMA_G * g + LUMA_B * b);
      p[i] = clamp(factor * r + gray);
      p[plane + i] = clamp(factor * g + gray);
      p[2 * plane + i] = clamp(factor * b + gray);
    }
  }

  /**
   * {@code adjust_hue} (RGB only): converts to HSV, rotates the hue by {@code shift} turns
   * (in [-0.5, 0.5]) modulo 1 and converts back, as torchvision's {@code _rgb2hsv} and
   * {@code _hsv2rgb} do (same formulas, rearranged; results agree to float rounding).
   */
  static void hue(float[] p, int plane, float shift) {
    for (int i = 0; i < plane; i++) {
      float r = p[i];
      float g = p[plane + i];
      float b = p[2 * plane + i];
      // Plain comparisons: Math.max/min on floats handle NaN and -0 and cost more here.
      float max = r > g ? (r > b ? r : b) : (g > b ? g : b);
      float min = r < g ? (r < b ? r : b) : (g < b ? g : b);
      float range = max - min;
      float inv = 1f / (range == 0f ? 1f : range);
      float h;
      // The sextant formulas give h in [-1, 5]; torchvision's fmod(h / 6 + 1, 1) is then a
      // single subtraction.
      if (max == r) {
        h = (g - b) * inv;
      } else if (max == g) {
        h = 2f + (b - r) * inv;
      } else {
        h = 4f + (r - g) * inv;
      }
      h = h / 6f + 1f;
      h = h >= 1f ? h - 1f : h;
      h += shift;
      h = h < 0f ? h + 1f : (h >= 1f ? h - 1f : h);
      float h6 = h * 6f;
      int sector = (int) h6;
      float f = h6 - sector;
      // With s = range / v: v(1 - s) = min, v(1 - s f) = v - range f and
      // v(1 - s (1 - f)) = min + range f, which saves torchvision's second division.
      float v = max;
      float pp = clamp(min);
      float q = clamp(v - range * f);
      float t = clamp(min + range * f);
      switch (sector) {
        case 0, 6 -> set(p, plane, i, v, t, pp); // 6: h + 1 rounded up to exactly 1
        case 1 -> set(p, plane, i, q, v, pp);
        case 2 -> set(p, plane, i, pp, v, t);
        case 3 -> set(p, plane, i, pp, q, v);
        case 4 -> set(p, plane, i, t, pp, v);
        default -> set(p, plane, i, v, pp, q);
      }
    }
  }

  private static void set(float[] p, int plane, int i, float r, float g, float b) {
    p[i] = r;
    p[plane + i] = g;
    p[2 * plane + i] = b;
  }

  /** {@code rgb_to_grayscale} with 3 output channels: every channel becomes the luma. */
  static void grayscale(float[] p, int plane) {
    for (int i = 0; i < plane; i++) {
      float gray = clamp(LUMA_R * p[i] + LUMA_G * p[plane + i] + LUMA_B * p[2 * plane + i]);
      p[i] = gray;
      p[plane + i] = gray;
      p[2 * plane + i] = gray;
    }
  }
}
