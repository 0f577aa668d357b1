package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvalTransformTest {

  private static AugmentConfig config(int size, double factor) {
    return new AugmentConfig(AugmentConfig.Recipe.SIMCLR, size, 0.2, 1, 0.75, 4.0 / 3, 0.5,
        0.4, 0.4, 0.4, 0.1, 0.8, 0.2, factor);
  }

  @Test
  void withoutResizingItIsTheCentreCrop() {
    // factor 1.25 * 32 = 40 = the short side: no resampling, a 32x32 window at (4, 14).
    Image in = TestImages.gradient(3, 40, 60);
    Image out = Augmentations.eval(config(32, 1.25)).apply(in, 0);
    assertEquals(32, out.height());
    assertEquals(32, out.width());
    TestImages.assertWindow(in, 4, 14, out);
  }

  @Test
  void resizesTheShortSideAndCentresTheWindow() {
    EvalTransform t = new EvalTransform(32, 1.15);
    assertArrayEquals(new int[] {36, 54}, t.resizedShape(40, 60));
    assertArrayEquals(new int[] {54, 36}, t.resizedShape(60, 40));
    assertEquals(new CropBox(2, 11, 32, 32), t.window(36, 54));
    assertArrayEquals(new int[] {115, 115}, new EvalTransform(100, 1.15).resizedShape(8, 8));
  }

  @Test
  void keptWindowEqualsCroppingTheFullyResizedImage() {
    Image in = TestImages.random(3, 40, 60, 21);
    Image out = Augmentations.eval(config(32, 1.15)).apply(in, 0);
    Image full = Resampler.resample(in, Resampler.taps(0, 40, 36, 0, 36, false),
        Resampler.taps(0, 60, 54, 0, 54, false));
    assertEquals(32, out.width());
    TestImages.assertWindow(full, 2, 11, out);
  }

  @Test
  void centreOfTheViewIsTheCentreOfTheImage() {
    // Resampling is mirror-symmetric, so a window centred on a ramp that is antisymmetric
    // about the image centre has mean 0.5. Shapes chosen so the margins are even (30x60,
    // 40x30, 30x30 resized; CenterCrop rounds odd margins half to even).
    for (int[] shape : new int[][] {{40, 80}, {64, 48}, {28, 28}}) {
      Image out = Augmentations.eval(config(24, 1.25))
          .apply(TestImages.gradient(3, shape[0], shape[1]), 0);
      double meanX = 0;
      double meanY = 0;
      int plane = out.planeSize();
      for (int i = 0; i < plane; i++) {
        meanX += out.pixels()[i] / plane;
        meanY += out.pixels()[plane + i] / plane;
      }
      assertEquals(0.5, meanX, 1e-5, "horizontal centre of " + shape[0] + "x" + shape[1]);
      assertEquals(0.5, meanY, 1e-5, "vertical centre of " + shape[0] + "x" + shape[1]);
    }
  }

  @Test
  void ignoresTheSeed() {
    Image in = TestImages.random(1, 30, 30, 22);
    ViewTransform t = Augmentations.eval(config(28, 1.15));
    assertArrayEquals(t.apply(in, 1).pixels(), t.apply(in, -77).pixels());
  }

  @Test
  void recipeNoneTrainsOnTheEvaluationView() {
    AugmentConfig none = new AugmentConfig(AugmentConfig.Recipe.NONE, 24, 1, 1, 1, 1, 0, 0, 0,
        0, 0, 0, 0, 1.15);
    Image in = TestImages.random(3, 30, 40, 23);
    assertArrayEquals(Augmentations.eval(none).apply(in, 0).pixels(),
        Augmentations.train(none).apply(in, 5).pixels());
  }

  @Test
  void unresolvedSizeIsRejectedWithTheFix() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Augmentations.eval(config(0, 1.15)));
    assertTrue(e.getMessage().contains("withSize"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Augmentations.train(config(0, 1)));
    assertTrue(e.getMessage().contains("augment.size = 0"), e.getMessage());
  }
}
