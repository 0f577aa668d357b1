package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResamplerTest {

  private static Image row(float... values) {
    return new Image(1, 1, values.length, values);
  }

  private static Image resizeWidth(Image in, int outWidth) {
    return Resampler.resample(in, Resampler.taps(0, in.height(), in.height(), 0, in.height(),
        false), Resampler.taps(0, in.width(), outWidth, 0, outWidth, false));
  }

  @Test
  void sameSizeIsTheIdentity() {
    Image in = TestImages.random(3, 7, 9, 1);
    Image same = Resampler.resample(in, Resampler.taps(0, 7, 7, 0, 7, false),
        Resampler.taps(0, 9, 9, 0, 9, false));
    assertArrayEquals(in.pixels(), same.pixels());
  }

  @Test
  void enlargingIsBilinearWithHalfPixelCentresAndRepeatedEdges() {
    // torch.nn.functional.interpolate([0, 1], size=4, mode="linear", align_corners=False)
    // = [0, 0.25, 0.75, 1]
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f},
        resizeWidth(row(0f, 1f), 4).pixels(), 1e-6f);
  }

  @Test
  void shrinkingWidensTheTriangleFilterAsPillowDoes() {
    // Pillow BILINEAR 4 -> 2: output 0 is centred on 1.0 with support 2, weights 0.75, 0.75,
    // 0.25 on pixels 0..2 (normalised by 1.75); output 1 mirrors it.
    float[] in = {0f, 1f / 3, 2f / 3, 1f};
    float first = (0.75f * in[0] + 0.75f * in[1] + 0.25f * in[2]) / 1.75f;
    float second = (0.25f * in[1] + 0.75f * in[2] + 0.75f * in[3]) / 1.75f;
    assertArrayEquals(new float[] {first, second}, resizeWidth(row(in), 2).pixels(), 1e-6f);
  }

  @Test
  void cropWithoutScalingCopiesTheBox() {
    Image in = TestImages.random(3, 10, 12, 2);
    Image out = Resampler.resizedCrop(in, new CropBox(3, 4, 5, 5), 5, false);
    assertEquals(5, out.height());
    TestImages.assertWindow(in, 3, 4, out);
  }

  @Test
  void flipMirrorsTheResizedCrop() {
    Image in = TestImages.random(3, 20, 16, 3);
    CropBox box = new CropBox(2, 1, 13, 11);
    Image plain = Resampler.resizedCrop(in, box, 24, false);
    Image flipped = Resampler.resizedCrop(in, box, 24, true);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 24; y++) {
        for (int x = 0; x < 24; x++) {
          assertEquals(TestImages.at(plain, c, y, 23 - x), TestImages.at(flipped, c, y, x),
              1e-6f);
        }
      }
    }
  }

  @Test
  void cropEdgesAreRepeatedNotReadFromOutsideTheBox() {
    // torchvision crops first, then resizes: pixels outside the box must not leak in.
    float[] p = {9f / 9, 0f, 0f, 9f / 9};
    Image in = new Image(1, 1, 4, p);
    Image out = Resampler.resample(in, Resampler.taps(0, 1, 1, 0, 1, false),
        Resampler.taps(1, 2, 6, 0, 6, false));
    assertArrayEquals(new float[6], out.pixels());
  }
}
