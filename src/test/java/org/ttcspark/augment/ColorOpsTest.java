package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ColorOpsTest {

  /** One pixel per entry, RGB triples given pixel by pixel, returned planar. */
  private static float[] rgb(float... triples) {
    int n = triples.length / 3;
    float[] p = new float[triples.length];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        p[c * n + i] = triples[3 * i + c];
      }
    }
    return p;
  }

  @Test
  void brightnessScalesAndClamps() {
    float[] p = {0.2f, 0.6f, 1f};
    ColorOps.brightness(p, 1.5f);
    assertArrayEquals(new float[] {0.3f, 0.9f, 1f}, p, 1e-6f);
  }

  @Test
  void contrastBlendsWithTheMeanOfTheGrayscaleImage() {
    float[] p = rgb(1f, 0f, 0f, 0f, 0f, 1f);
    float mean = (0.299f + 0.114f) / 2;
    ColorOps.contrast(p, 3, 2, 0.5f);
    assertArrayEquals(rgb(0.5f + 0.5f * mean, 0.5f * mean, 0.5f * mean,
        0.5f * mean, 0.5f * mean, 0.5f + 0.5f * mean), p, 1e-6f);
  }

  @Test
  void contrastOfAGrayImageUsesItsOwnMean() {
    float[] p = {0.2f, 0.4f};
    ColorOps.contrast(p, 1, 2, 0f);
    assertArrayEquals(new float[] {0.3f, 0.3f}, p, 1e-6f);
  }

  @Test
  void zeroSaturationGivesTheLumaInEveryChannel() {
    float[] p = rgb(0.9f, 0.5f, 0.1f);
    float luma = 0.299f * 0.9f + 0.587f * 0.5f + 0.114f * 0.1f;
    ColorOps.saturation(p, 1, 0f);
    assertArrayEquals(new float[] {luma, luma, luma}, p, 1e-6f);
  }

  @Test
  void hueShiftOfAThirdTurnsRedIntoGreenAndGreenIntoBlue() {
    float[] p = rgb(1f, 0f, 0f, 0f, 0.5f, 0f);
    ColorOps.hue(p, 2, 1f / 3);
    assertArrayEquals(rgb(0f, 1f, 0f, 0f, 0f, 0.5f), p, 1e-5f);
  }

  @Test
  void negativeHueShiftWrapsAround() {
    float[] p = rgb(1f, 0f, 0f);
    ColorOps.hue(p, 1, -1f / 3);
    assertArrayEquals(rgb(0f, 0f, 1f), p, 1e-5f);
  }

  @Test
  void hueShiftKeepsGrayPixelsAndRoundTripsColours() {
    float[] p = rgb(0.4f, 0.4f, 0.4f, 0.8f, 0.3f, 0.55f);
    float[] before = p.clone();
    ColorOps.hue(p, 2, 0f);
    assertArrayEquals(before, p, 1e-6f);
    ColorOps.hue(p, 2, 0.25f);
    ColorOps.hue(p, 2, -0.25f);
    assertArrayEquals(before, p, 1e-5f);
  }

  @Test
  void grayscaleWritesItu601LumaToAllChannels() {
    float[] p = rgb(1f, 1f, 1f, 0.2f, 0.4f, 0.6f);
    ColorOps.grayscale(p, 2);
    float luma = 0.299f * 0.2f + 0.587f * 0.4f + 0.114f * 0.6f;
    assertArrayEquals(rgb(1f, 1f, 1f, luma, luma, luma), p, 1e-6f);
    assertEquals(1f, ColorOps.LUMA_R + ColorOps.LUMA_G + ColorOps.LUMA_B, 1e-6f);
  }
}
