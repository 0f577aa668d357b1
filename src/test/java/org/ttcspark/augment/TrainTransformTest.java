package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

/** Statistical properties of many views drawn from fixed seeds, and determinism. */
class TrainTransformTest {
  private static final int DRAWS = 20_000;
  private static final AugmentConfig SIMCLR =
      AugmentConfig.from(ConfigLoader.reference()).withSize(32);
  private static final AugmentConfig MEDICAL = AugmentConfig.from(
      ConfigLoader.load(List.of(), List.of("augment.recipe=medical-gray"))).withSize(28);

  private static ViewParams[] draws(AugmentConfig c, int height, int width) {
    TrainTransform t = new TrainTransform(c);
    ViewParams[] out = new ViewParams[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      out[i] = t.draw(height, width, Augmentations.viewSeed(7, 0, i, 0));
    }
    return out;
  }

  @Test
  void cropAreaAndAspectStayInRangeUpToPixelRounding() {
    // {height, width, largest reachable area in percent}: a 60x90 image is wider than 4:3,
    // so its largest crop is 60x80.
    for (int[] shape : new int[][] {{32, 32, 100}, {224, 224, 100}, {60, 90, 89}}) {
      int h = shape[0];
      int w = shape[1];
      double reachable = shape[2] / 100.0;
      double minArea = 1;
      double maxArea = 0;
      for (ViewParams v : draws(SIMCLR, h, w)) {
        CropBox b = v.crop();
        assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= h
            && b.left() + b.width() <= w, b + " outside " + h + "x" + w);
        // The box sides are rounded to whole pixels, so compare with half a pixel of slack.
        double area = (double) h * w;
        assertTrue((b.width() + 0.5) * (b.height() + 0.5) >= SIMCLR.cropScaleMin() * area,
            b + " smaller than the minimum scale");
        assertTrue((b.width() - 0.5) * (b.height() - 0.5) <= SIMCLR.cropScaleMax() * area,
            b + " larger than the maximum scale");
        assertTrue((b.width() + 0.5) / (b.height() - 0.5) >= SIMCLR.cropRatioMin()
            && (b.width() - 0.5) / (b.height() + 0.5) <= SIMCLR.cropRatioMax(),
            b + " aspect out of range");
        minArea = Math.min(minArea, b.areaFraction(h, w));
        maxArea = Math.max(maxArea, b.areaFraction(h, w));
      }
      assertTrue(minArea < 0.22 && maxArea > reachable - 0.1, "area fractions cover only " + minArea
          + ".." + maxArea + " for " + h + "x" + w);
    }
  }

  @Test
  void cropFallsBackToTheCentreWhenNoAttemptFits() {
    AugmentConfig wide = new AugmentConfig(AugmentConfig.Recipe.SIMCLR, 32, 1, 1, 2, 2, 0.5,
        0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 1.15);
    CropBox b = new TrainTransform(wide).draw(40, 40, 3).crop();
    assertEquals(new CropBox(10, 0, 20, 40), b);
  }

  @Test
  void flipJitterAndGrayscaleRatesMatchTheirProbabilities() {
    int flips = 0;
    int jitters = 0;
    int grays = 0;
    int[] firstOp = new int[4];
    for (ViewParams v : draws(SIMCLR, 32, 32)) {
      flips += v.flip() ? 1 : 0;
      jitters += v.jitter() ? 1 : 0;
      grays += v.grayscale() ? 1 : 0;
      firstOp[v.order()[0]]++;
      int[] sorted = v.order().clone();
      Arrays.sort(sorted);
      assertArrayEquals(new int[] {0, 1, 2, 3}, sorted);
    }
    // Binomial standard deviations at 20000 draws are 0.0035 (p=0.5), 0.0028 (0.8, 0.2).
    assertEquals(0.5, flips / (double) DRAWS, 0.015);
    assertEquals(0.8, jitters / (double) DRAWS, 0.015);
    assertEquals(0.2, grays / (double) DRAWS, 0.015);
    for (int op = 0; op < 4; op++) {
      assertEquals(0.25, firstOp[op] / (double) DRAWS, 0.02, "operation " + op + " first");
    }
  }

  @Test
  void jitterFactorsStayInTheirRangesAndSpanThem() {
    float[] lo = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
    float[] hi = {-Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
    for (ViewParams v : draws(SIMCLR, 32, 32)) {
      float[] f = {v.brightness(), v.contrast(), v.saturation(), v.hue()};
      for (int i = 0; i < 4; i++) {
        lo[i] = Math.min(lo[i], f[i]);
        hi[i] = Math.max(hi[i], f[i]);
      }
    }
    for (int i = 0; i < 3; i++) {
      assertTrue(lo[i] >= 0.6f && lo[i] < 0.61f && hi[i] <= 1.4f && hi[i] > 1.39f,
          "factor " + i + " spans " + lo[i] + ".." + hi[i]);
    }
    assertTrue(lo[3] >= -0.1f && lo[3] < -0.099f && hi[3] <= 0.1f && hi[3] > 0.099f,
        "hue spans " + lo[3] + ".." + hi[3]);
  }

  @Test
  void medicalRecipeKeepsSaturationHueAndNeverGoesGray() {
    double minArea = 1;
    for (ViewParams v : draws(MEDICAL, 28, 28)) {
      assertFalse(v.grayscale());
      assertEquals(1f, v.saturation());
      assertEquals(0f, v.hue());
      assertTrue(v.brightness() >= 0.85f && v.brightness() <= 1.15f);
      assertTrue(v.contrast() >= 0.85f && v.contrast() <= 1.15f);
      minArea = Math.min(minArea, v.crop().areaFraction(28, 28));
    }
    // 0.25 of 28x28 is 196 px; rounding the sides can take it to 12x16 = 192 px (0.245).
    assertTrue(minArea >= 0.23 && minArea < 0.27, "smallest area " + minArea);
  }

  @Test
  void grayscaleViewsHaveEqualChannelsAndOthersDoNot() {
    TrainTransform t = new TrainTransform(SIMCLR);
    Image in = TestImages.random(3, 40, 40, 11);
    int checked = 0;
    for (int i = 0; i < 200; i++) {
      ViewParams v = t.draw(40, 40, i);
      Image out = t.apply(in, v);
      float[] p = out.pixels();
      int plane = out.planeSize();
      boolean equal = Arrays.equals(p, 0, plane, p, plane, 2 * plane)
          && Arrays.equals(p, 0, plane, p, 2 * plane, 3 * plane);
      assertEquals(v.grayscale(), equal, "view " + i + " grayscale=" + v.grayscale());
      checked += v.grayscale() ? 1 : 0;
    }
    assertTrue(checked > 20, "only " + checked + " grayscale views");
  }

  @Test
  void viewsAreSizedClampedAndKeepTheChannelCount() {
    for (Image in : new Image[] {TestImages.random(3, 50, 37, 5),
        TestImages.random(1, 20, 64, 6)}) {
      ViewTransform t = Augmentations.train(SIMCLR);
      for (int i = 0; i < 50; i++) {
        Image out = t.apply(in, i);
        assertEquals(in.channels(), out.channels());
        assertEquals(32, out.height());
        assertEquals(32, out.width());
        for (float f : out.pixels()) {
          assertTrue(f >= 0f && f <= 1f, "value " + f);
        }
      }
    }
  }

  @Test
  void jitterChangesTheViewOnlyWhenApplied() {
    TrainTransform t = new TrainTransform(SIMCLR);
    Image in = TestImages.random(3, 32, 32, 12);
    ViewParams v = t.draw(32, 32, 99);
    ViewParams on = new ViewParams(v.crop(), v.flip(), true, v.order(), 1.3f, v.contrast(),
        v.saturation(), v.hue(), false);
    ViewParams off = new ViewParams(v.crop(), v.flip(), false, v.order(), 1.3f, v.contrast(),
        v.saturation(), v.hue(), false);
    Image plain = Resampler.resizedCrop(in, v.crop(), 32, v.flip());
    assertArrayEquals(plain.pixels(), t.apply(in, off).pixels());
    assertFalse(Arrays.equals(plain.pixels(), t.apply(in, on).pixels()));
  }

  @Test
  void sameSeedGivesTheSameViewBitForBitAndAnotherViewDiffers() {
    ViewTransform t = Augmentations.train(SIMCLR);
    Image in = TestImages.random(3, 48, 48, 13);
    long key = Augmentations.sampleKey("img-0001");
    Image a = t.apply(in, Augmentations.viewSeed(42, 3, key, 0));
    Image b = t.apply(in, Augmentations.viewSeed(42, 3, key, 0));
    Image other = t.apply(in, Augmentations.viewSeed(42, 3, key, 1));
    assertArrayEquals(a.pixels(), b.pixels());
    assertFalse(Arrays.equals(a.pixels(), other.pixels()));
  }

  @Test
  void serializedTransformDrawsTheSameViews() throws Exception {
    ViewTransform t = Augmentations.train(SIMCLR);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(t);
    }
    ViewTransform copy;
    try (ObjectInputStream in = new ObjectInputStream(
        new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ViewTransform) in.readObject();
    }
    Image img = TestImages.random(3, 36, 36, 14);
    assertArrayEquals(t.apply(img, 5).pixels(), copy.apply(img, 5).pixels());
  }

  @Test
  void grayImagesSkipSaturationHueAndGrayscale() {
    ViewTransform t = Augmentations.train(SIMCLR);
    Image in = TestImages.random(1, 32, 32, 15);
    TrainTransform tt = new TrainTransform(SIMCLR);
    // A view whose jitter is only saturation and hue changes nothing beyond the crop.
    ViewParams v = tt.draw(32, 32, 8);
    ViewParams colourOnly = new ViewParams(v.crop(), v.flip(), true, new int[] {2, 3, 0, 1},
        1f, 1f, 0.5f, 0.1f, true);
    Image plain = Resampler.resizedCrop(in, v.crop(), 32, v.flip());
    assertArrayEquals(plain.pixels(), tt.apply(in, colourOnly).pixels());
    assertEquals(1, t.apply(in, 8).channels());
  }
}
