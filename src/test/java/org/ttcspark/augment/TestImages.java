package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

/** Synthetic images for the augmentation tests, generated from fixed seeds. */
final class TestImages {
  private TestImages() {}

  /** Uniform random values in [0, 1]. */
  static Image random(int channels, int height, int width, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] p = new float[channels * height * width];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) rng.nextDouble();
    }
    return new Image(channels, height, width, p);
  }

  /**
   * Channel 0 is x / (width - 1), channel 1 is y / (height - 1), channel 2 (if any) is
   * 1 - channel 0: every pixel tells where it came from.
   */
  static Image gradient(int channels, int height, int width) {
    int plane = height * width;
    float[] p = new float[channels * plane];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float fx = (float) x / (width - 1);
        p[y * width + x] = fx;
        if (channels == 3) {
          p[plane + y * width + x] = (float) y / (height - 1);
          p[2 * plane + y * width + x] = 1f - fx;
        }
      }
    }
    return new Image(channels, height, width, p);
  }

  /** Asserts that {@code actual} is exactly the window of {@code source} at (top, left). */
  static void assertWindow(Image source, int top, int left, Image actual) {
    for (int c = 0; c < actual.channels(); c++) {
      for (int y = 0; y < actual.height(); y++) {
        for (int x = 0; x < actual.width(); x++) {
          assertEquals(at(source, c, top + y, left + x), at(actual, c, y, x),
              "channel " + c + " at (" + y + ", " + x + ")");
        }
      }
    }
  }

  /** Value of channel {@code c} at {@code (y, x)}. */
  static float at(Image img, int c, int y, int x) {
    return img.pixels()[(c * img.height() + y) * img.width() + x];
  }
}
