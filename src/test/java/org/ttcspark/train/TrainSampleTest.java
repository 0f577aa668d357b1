package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.augment.Image;
import org.ttcspark.augment.ViewTransform;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.data.Images;

/**
 * Issue 18: a decoded training image is kept as 8-bit samples, one byte per value where floats
 * took four, and every view drawn from it is bit-identical to the view drawn from the floats
 * the image used to be decoded to.
 */
class TrainSampleTest {
  private static final int H = 9;
  private static final int W = 11;

  private static byte[] pixels(int channels, long seed) {
    byte[] px = new byte[H * W * channels];
    new Random(seed).nextBytes(px);
    return px;
  }

  /**
   * The floats a sample held before issue 18, as {@code Images.decodePlanar} computed them for
   * an image with at most {@code channels} channels: {@code (b & 0xff) * (1f / 255f)}, CHW, a
   * gray image repeated into R, G and B.
   */
  private static float[] formerFloats(byte[] encoded, int channels) {
    Images.Decoded d = Images.decode(encoded);
    int plane = d.height() * d.width();
    float[] out = new float[channels * plane];
    final float scale = 1f / 255f;
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < channels; c++) {
        int at = d.channels() == channels ? p * channels + c : p;
        out[c * plane + p] = (d.pixels()[at] & 0xff) * scale;
      }
    }
    return out;
  }

  /** {RGB PNG, gray PNG, RGB JPEG} encoded, with the channel counts a dataset reads them at. */
  private static List<Object[]> fixtures() {
    byte[] rgbPng = Images.encodePng(pixels(3, 1), H, W, 3);
    byte[] grayPng = Images.encodePng(pixels(1, 2), H, W, 1);
    byte[] rgbJpeg = Images.encodeJpeg(pixels(3, 3), H, W, 3, 0.8f);
    return List.of(new Object[] {rgbPng, 3}, new Object[] {grayPng, 1},
        new Object[] {grayPng, 3}, new Object[] {rgbJpeg, 3});
  }

  @Test
  void issue18SamplesHoldOneBytePerValueAndGiveTheFloatsDecodingGave() {
    for (Object[] f : fixtures()) {
      byte[] encoded = (byte[]) f[0];
      int channels = (int) f[1];
      TrainSample s = PreparedImages.decode("img", 1, encoded, channels);
      assertEquals(channels * H * W, s.pixels().length, "one byte per value, CHW");
      Image image = s.image();
      assertEquals(channels, image.channels());
      assertEquals(H, image.height());
      assertEquals(W, image.width());
      float[] former = formerFloats(encoded, channels);
      // exact: assertArrayEquals on floats compares bit patterns
      assertArrayEquals(former, image.pixels(), channels + " channels");
      assertArrayEquals(former, Images.decodePlanar(encoded, channels).pixels(),
          "embedding's decoder, " + channels + " channels");
    }
  }

  @Test
  void everyByteLevelIsTheFormerMultiplicationNotADivision() {
    byte[] levels = new byte[256];
    for (int b = 0; b < 256; b++) {
      levels[b] = (byte) b;
    }
    float[] unit = Images.unitFloats(levels);
    int differsFromDivision = 0;
    for (int b = 0; b < 256; b++) {
      assertEquals(Float.floatToIntBits(b * (1f / 255f)), Float.floatToIntBits(unit[b]),
          "level " + b);
      differsFromDivision += unit[b] != b / 255f ? 1 : 0;
    }
    assertEquals(0f, unit[0]);
    assertEquals(1f, unit[255]);
    // why the arithmetic must be kept as it was: the two roundings differ at some levels
    assertTrue(differsFromDivision > 0, "b / 255f and b * (1f / 255f) never differ");
  }

  @Test
  void issue18ViewsOfEightBitSamplesAreTheViewsOfTheFormerFloats() {
    float[] mean = {0.4f, 0.5f, 0.6f};
    float[] std = {0.2f, 0.25f, 0.3f};
    for (String recipe : List.of("simclr", "medical-gray")) {
      AugmentConfig augment = AugmentConfig.from(ConfigLoader.load(List.of(),
          List.of("augment.recipe=" + recipe))).withSize(8);
      for (ViewTransform t : List.of(Augmentations.train(augment), Augmentations.eval(augment))) {
        for (Object[] f : fixtures()) {
          byte[] encoded = (byte[]) f[0];
          int channels = (int) f[1];
          float[] m = Arrays.copyOf(mean, channels);
          float[] sd = Arrays.copyOf(std, channels);
          AugmentViews views = new AugmentViews(t, 8, m, sd);
          TrainSample s = PreparedImages.decode("img-" + channels, 0, encoded, channels);
          for (long seed : new long[] {0, 7, -3}) {
            Image former = new Image(channels, H, W, formerFloats(encoded, channels));
            float[] expected = Augmentations.normalize(t.apply(former, seed), m, sd);
            assertArrayEquals(expected, views.view(s, seed), recipe + ", " + channels
                + " channels, seed " + seed);
          }
        }
      }
    }
  }

  @Test
  void anRgbImageInAGrayDatasetIsRefusedNotRounded() {
    byte[] rgb = Images.encodePng(pixels(3, 4), H, W, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PreparedImages.decode("train-0-17", 0, rgb, 1));
    assertTrue(e.getMessage().contains("train-0-17"), e.getMessage());
    assertTrue(e.getMessage().contains("image.channels = 1"), e.getMessage());
    assertTrue(e.getMessage().contains("prepare the dataset again"), e.getMessage());
  }

  @Test
  void pixelsMustMatchTheDimensions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TrainSample("x", 0, -1, 3, 2, 2, new byte[4]));
    assertTrue(e.getMessage().contains("train sample x has 4 pixel bytes but 3x2x2"),
        e.getMessage());
    TrainSample s = new TrainSample("x", 0, -1, 1, 2, 2, new byte[4]);
    assertSame(s.pixels(), s.withCluster(3).pixels(), "a relabelled sample shares its bytes");
  }
}
