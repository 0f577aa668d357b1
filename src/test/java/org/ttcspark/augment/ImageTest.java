package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTest {

  @Test
  void rejectsTwoChannels() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Image(2, 4, 4, new float[32]));
    assertTrue(e.getMessage().contains("channels = 2"), e.getMessage());
  }

  @Test
  void rejectsZeroHeight() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Image(1, 0, 4, new float[0]));
    assertTrue(e.getMessage().contains("0x4"), e.getMessage());
  }

  @Test
  void rejectsPixelArrayOfWrongLength() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new Image(3, 4, 5, new float[59]));
    assertTrue(e.getMessage().contains("59 values") && e.getMessage().contains("needs 60"),
        e.getMessage());
  }

  @Test
  void rejectsNullPixels() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Image(1, 1, 1, null));
    assertTrue(e.getMessage().contains("null"), e.getMessage());
  }

  @Test
  void convertsInterleavedBytesToPlanarUnitFloats() {
    // 1 row, 2 pixels, RGB: (255, 0, 51) and (102, 153, 204)
    byte[] hwc = {(byte) 255, 0, 51, 102, (byte) 153, (byte) 204};
    Image img = Image.fromHwcBytes(3, 1, 2, hwc);
    assertArrayEquals(new float[] {1f, 0.4f, 0f, 0.6f, 0.2f, 0.8f}, img.pixels(), 1e-6f);
    assertEquals(2, img.planeSize());
  }

  @Test
  void rejectsByteArrayOfWrongLength() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Image.fromHwcBytes(3, 2, 2, new byte[4]));
    assertTrue(e.getMessage().contains("needs 12"), e.getMessage());
  }
}
