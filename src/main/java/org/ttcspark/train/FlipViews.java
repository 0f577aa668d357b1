package org.ttcspark.train;

import java.util.SplittableRandom;

/**
 * A minimal view source: a random crop with padding 4 (zero pad, as for CIFAR), a horizontal flip
 * with probability 0.5 and per-channel normalisation. It stands in where the augment stage's
 * SimCLR pipeline is not wired yet, and serves {@code ttc bench}'s synthetic mode.
 *
 * @param size output side (the input must have this side)
 * @param mean per-channel mean subtracted
 * @param std per-channel standard deviation divided by
 */
public record FlipViews(int size, float[] mean, float[] std) implements ViewSource {
  private static final int PAD = 4;

  @Override
  public float[] view(TrainSample s, long seed) {
    if (s.height() != size || s.width() != size) {
      throw new IllegalArgumentException("image " + s.id() + " is " + s.height() + "x" + s.width()
          + " but the views are " + size + "x" + size);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    boolean flip = rng.nextBoolean();
    int dy = rng.nextInt(2 * PAD + 1) - PAD;
    int dx = rng.nextInt(2 * PAD + 1) - PAD;
    int c = s.channels();
    float[] out = new float[c * size * size];
    float[] in = s.pixels();
    for (int ch = 0; ch < c; ch++) {
      float m = mean[Math.min(ch, mean.length - 1)];
      float sd = std[Math.min(ch, std.length - 1)];
      int base = ch * size * size;
      for (int y = 0; y < size; y++) {
        int sy = y + dy;
        for (int x = 0; x < size; x++) {
          int sx = flip ? size - 1 - (x + dx) : x + dx;
          float v = sy < 0 || sy >= size || sx < 0 || sx >= size ? 0f : in[base + sy * size + sx];
          out[base + y * size + x] = (v - m) / sd;
        }
      }
    }
    return out;
  }
}
