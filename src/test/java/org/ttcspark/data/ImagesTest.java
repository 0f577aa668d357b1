package org.ttcspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImagesTest {

  @Test
  void pngRoundTripsGrayAndRgbPixelsExactly() {
    for (int c : new int[] {1, 3}) {
      byte[] px = SourceFiles.pixels(c, 5, 7, c);
      Images.Decoded d = Images.decode(Images.encodePng(px, 5, 7, c));
      assertEquals(5, d.height());
      assertEquals(7, d.width());
      assertEquals(c, d.channels());
      assertArrayEquals(px, d.pixels());
    }
  }

  @Test
  void alphaIsDroppedKeepingTheStoredColour() throws Exception {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00FF8000); // fully transparent orange
    argb.setRGB(1, 0, 0x800000FF); // half transparent blue
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(argb, "png", out);
    Images.Decoded d = Images.decode(out.toByteArray());
    assertEquals(3, d.channels());
    assertArrayEquals(new byte[] {(byte) 255, (byte) 128, 0, 0, 0, (byte) 255}, d.pixels());
  }

  @Test
  void truncatedJpegAndPngAndNonImagesAreRejected() {
    byte[] px = SourceFiles.pixels(1, 32, 32, 3);
    byte[] jpeg = Images.encodeJpeg(px, 32, 32, 3, 0.9f);
    byte[] png = Images.encodePng(px, 32, 32, 3);
    assertThrows(IllegalArgumentException.class,
        () -> Images.decode(Arrays.copyOf(jpeg, jpeg.length / 2)));
    assertThrows(IllegalArgumentException.class,
        () -> Images.decode(Arrays.copyOf(png, png.length / 2)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Images.decode("hello".getBytes()));
    assertTrue(e.getMessage().contains("not a JPEG or PNG"));
  }

  @Test
  void decodePlanarConvertsChannelCounts() {
    byte[] rgb = {(byte) 255, 0, 0, 0, (byte) 255, 0};
    float[] chw = Images.decodePlanar(Images.encodePng(rgb, 1, 2, 3), 3).pixels();
    assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, chw, 0f);
    float[] gray = Images.decodePlanar(Images.encodePng(rgb, 1, 2, 3), 1).pixels();
    assertArrayEquals(new float[] {0.299f, 0.587f}, gray, 1e-6f);
    float[] repeated =
        Images.decodePlanar(Images.encodePng(new byte[] {51}, 1, 1, 1), 3).pixels();
    assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f}, repeated, 1e-6f);
  }

  @Test
  void sixteenBitGrayKeepsTheHighByte() throws Exception {
    BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setSample(0, 0, 0, 0xABCD);
    g16.getRaster().setSample(1, 0, 0, 0x0102);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(g16, "png", out);
    Images.Decoded d = Images.decode(out.toByteArray());
    assertEquals(1, d.channels());
    assertArrayEquals(new byte[] {(byte) 0xAB, 0x01}, d.pixels());
  }
}
