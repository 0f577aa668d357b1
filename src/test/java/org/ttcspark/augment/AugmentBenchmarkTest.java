package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

/**
 * Views per second on one thread, for 3-channel images whose size equals the view size (the
 * usual case: a prepared dataset at the training resolution). Excluded from {@code mvn test};
 * run with
 * {@code mvn -o test -Dttc.test.excludedGroups=cluster -Dtest=AugmentBenchmarkTest}; the
 * numbers are in {@code target/surefire-reports/<this class>-output.txt}.
 */
@Tag("bench")
class AugmentBenchmarkTest {
  private static final long WARM_UP_NANOS = 2_000_000_000L;
  private static final long MEASURE_NANOS = 4_000_000_000L;
  private static final float[] MEAN = {0.5f, 0.5f, 0.5f};
  private static final float[] STD = {0.25f, 0.25f, 0.25f};

  @Test
  void printsViewsPerSecond() {
    AugmentConfig reference = AugmentConfig.from(ConfigLoader.load(List.of(), List.of()));
    for (int size : new int[] {32, 64, 224}) {
      AugmentConfig c = reference.withSize(size);
      Image[] images = new Image[16];
      for (int i = 0; i < images.length; i++) {
        images[i] = TestImages.random(3, size, size, i);
      }
      double train = viewsPerSecond(Augmentations.train(c), images);
      double eval = viewsPerSecond(Augmentations.eval(c), images);
      System.out.printf("augment bench: %3d px RGB: train (SimCLR + normalise) %,9.0f views/s, "
          + "eval (resize + centre crop + normalise) %,9.0f views/s, one thread%n",
          size, train, eval);
      assertTrue(train > 0 && eval > 0);
    }
  }

  private static double viewsPerSecond(ViewTransform t, Image[] images) {
    int pixels = images[0].pixels().length;
    float[] batch = new float[pixels];
    run(t, images, batch, WARM_UP_NANOS);
    long start = System.nanoTime();
    long views = run(t, images, batch, MEASURE_NANOS);
    return views / ((System.nanoTime() - start) / 1e9);
  }

  private static long run(ViewTransform t, Image[] images, float[] batch, long nanos) {
    long end = System.nanoTime() + nanos;
    long views = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 64; i++) {
        Image in = images[(int) (views % images.length)];
        Image out = t.apply(in, Augmentations.viewSeed(1, 0, views, 0));
        Augmentations.normalizeInto(out, MEAN, STD, batch, 0);
        views++;
      }
    }
    assertEquals(images[0].width(), batch.length / (3 * images[0].height()));
    return views;
  }
}
