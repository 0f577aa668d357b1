package org.ttcspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PixelStatsTest {

  @Test
  void mergeEqualsAddingEverythingToOne() {
    Images.Decoded a = new Images.Decoded(2, 2, 3, SourceFiles.pixels(1, 2, 2, 3));
    Images.Decoded b = new Images.Decoded(2, 2, 3, SourceFiles.pixels(2, 2, 2, 3));
    PixelStats one = new PixelStats();
    one.add(a);
    one.add(b);
    PixelStats left = new PixelStats();
    left.add(a);
    PixelStats right = new PixelStats();
    right.add(b);
    left.merge(right);
    assertArrayEquals(one.mean(), left.mean(), 1e-12);
    assertArrayEquals(one.std(), left.std(), 1e-12);
    assertEquals(2, left.commonHeight());
  }

  @Test
  void grayPixelsCountInEveryChannelOnceRgbIsPresent() {
    PixelStats s = new PixelStats();
    s.add(new Images.Decoded(1, 1, 1, new byte[] {(byte) 255}));
    s.add(new Images.Decoded(1, 1, 3, new byte[] {0, (byte) 255, 0}));
    assertEquals(3, s.channels());
    assertArrayEquals(new double[] {0.5, 1.0, 0.5}, s.mean(), 1e-12);
    assertArrayEquals(new double[] {0.5, 0.0, 0.5}, s.std(), 1e-12);
  }

  @Test
  void differingSizesHaveNoCommonSizeAndEmptyStatsHaveNoChannels() {
    PixelStats s = new PixelStats();
    assertEquals(0, s.channels());
    assertEquals(0, s.mean().length);
    s.add(new Images.Decoded(1, 2, 1, new byte[2]));
    s.add(new Images.Decoded(2, 2, 1, new byte[4]));
    assertEquals(-1, s.commonHeight());
    assertEquals(2, s.commonWidth());
    assertArrayEquals(new double[] {0}, s.mean(), 0);
  }
}
