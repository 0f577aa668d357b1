package org.ttcspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticImagesTest {

  @Test
  void sameArgumentsGiveTheSameImageAndAnotherIndexAnother() {
    byte[] a = SyntheticImages.render(7, 0, 1, 3, 2, 4, 24, 0.08);
    assertArrayEquals(a, SyntheticImages.render(7, 0, 1, 3, 2, 4, 24, 0.08));
    assertFalse(Arrays.equals(a, SyntheticImages.render(7, 0, 1, 4, 2, 4, 24, 0.08)));
    assertFalse(Arrays.equals(a, SyntheticImages.render(8, 0, 1, 3, 2, 4, 24, 0.08)));
    assertEquals(24 * 24 * 3, a.length);
  }

  @Test
  void subtypeDecidesTheBackgroundColourWhateverTheLabel() {
    // without noise the corner pixels are background: same hue family for both labels
    double[] hue0 = cornerHue(0, 0);
    double[] hue0OtherLabel = cornerHue(1, 0);
    double[] hue2 = cornerHue(0, 2);
    assertTrue(distance(hue0, hue0OtherLabel) < distance(hue0, hue2));
  }

  @Test
  void labelDecidesTheShapeDiscVersusSquareOfSimilarArea() {
    int discs = 0;
    int squares = 0;
    for (int i = 0; i < 50; i++) {
      discs += foreground(SyntheticImages.render(1, 0, 0, i, 0, 1, 48, 0), 48);
      squares += foreground(SyntheticImages.render(1, 0, 1, i, 0, 1, 48, 0), 48);
    }
    double ratio = (double) discs / squares;
    assertTrue(ratio > 0.9 && ratio < 1.2, "area alone must not give the label: " + ratio);
  }

  @Test
  void textureMarksOnlyTheSquareAndZeroLeavesTheImageAsBefore() {
    byte[] plain = SyntheticImages.render(5, 0, 1, 9, 1, 4, 32, 0.08);
    assertArrayEquals(plain, SyntheticImages.render(5, 0, 1, 9, 1, 4, 32, 0.08, 0));
    assertFalse(Arrays.equals(plain, SyntheticImages.render(5, 0, 1, 9, 1, 4, 32, 0.08, 0.4)),
        "the square is textured");
    assertArrayEquals(SyntheticImages.render(5, 0, 0, 9, 1, 4, 32, 0.08),
        SyntheticImages.render(5, 0, 0, 9, 1, 4, 32, 0.08, 0.4), "the disc is not");
  }

  @Test
  void hueSplitPartsTheObjectHuesByLabelAndZeroLeavesTheImageAsBefore() {
    assertArrayEquals(SyntheticImages.render(5, 0, 1, 9, 1, 4, 32, 0.08, 0.3),
        SyntheticImages.render(5, 0, 1, 9, 1, 4, 32, 0.08, 0.3, 0));
    for (int i = 0; i < 20; i++) {
      double hue0 = objectHue(SyntheticImages.render(2, 0, 0, i, 1, 4, 32, 0, 0, 0.25));
      double hue1 = objectHue(SyntheticImages.render(2, 0, 1, i, 1, 4, 32, 0, 0, 0.25));
      // 8-bit rounding moves a hue by well under 0.01
      assertTrue(hue0 < 0.25 + 0.01, "label 0, image " + i + ": hue " + hue0);
      assertTrue(hue1 > 0.25 - 0.01, "label 1, image " + i + ": hue " + hue1);
    }
  }

  /** Hue of the most saturated pixel: without noise, a pixel of the object. */
  private static double objectHue(byte[] px) {
    float best = -1;
    double hue = 0;
    for (int p = 0; p < px.length / 3; p++) {
      float[] hsb = java.awt.Color.RGBtoHSB(px[3 * p] & 0xff, px[3 * p + 1] & 0xff,
          px[3 * p + 2] & 0xff, null);
      if (hsb[1] > best) {
        best = hsb[1];
        hue = hsb[0];
      }
    }
    return hue;
  }

  private static double[] cornerHue(int label, int subtype) {
    double[] mean = new double[3];
    for (int i = 0; i < 20; i++) {
      byte[] px = SyntheticImages.render(3, 0, label, i, subtype, 4, 32, 0);
      for (int c = 0; c < 3; c++) {
        mean[c] += (px[c] & 0xff) / 20.0;
      }
    }
    return mean;
  }

  private static double distance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  /**
   * Object pixels: without noise the object has saturation 0.8, the striped background between
   * about 0.41 and 0.64.
   */
  private static int foreground(byte[] px, int size) {
    int n = 0;
    for (int p = 0; p < size * size; p++) {
      int max = 0;
      int min = 255;
      for (int c = 0; c < 3; c++) {
        max = Math.max(max, px[3 * p + c] & 0xff);
        min = Math.min(min, px[3 * p + c] & 0xff);
      }
      if (max > 0 && (max - min) / (double) max > 0.72) {
        n++;
      }
    }
    return n;
  }
}
