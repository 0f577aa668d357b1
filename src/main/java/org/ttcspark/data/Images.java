package org.ttcspark.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Decoding and encoding of the images in a prepared dataset's {@link Columns#IMAGE} column with
 * {@code javax.imageio} (JPEG, PNG). No Spark: augmentation and training call it on executors.
 *
 * <p>Channel rules, the same everywhere: an image is grayscale (1 channel) when its colour model
 * has one colour component, else RGB (3 channels). Alpha is dropped: colour values are kept as
 * stored, not composited over a background. 16-bit samples are cut to their high byte. Palette
 * images become RGB. When a dataset mixes gray and RGB images each row keeps its own channel
 * count; the manifest then says 3 channels, and readers ask for 3 so gray images are repeated
 * into R, G and B (see {@link #decodePlanar}).
 */
public final class Images {
  /** The step between two 8-bit levels on the [0, 1] scale. */
  private static final float UNIT = 1f / 255f;

  private Images() {}

  /**
   * A decoded image.
   *
   * @param height rows
   * @param width columns
   * @param channels 1 (gray) or 3 (RGB)
   * @param pixels 8-bit samples, layout [height, width, channels]
   */
  public record Decoded(int height, int width, int channels, byte[] pixels) {}

  /**
   * Decodes a JPEG or PNG.
   *
   * @throws IllegalArgumentException for bytes that are not a complete JPEG or PNG image
   *     (truncated JPEGs, which ImageIO only warns about, included)
   */
  public static Decoded decode(byte[] encoded) {
    BufferedImage image = read(encoded);
    int h = image.getHeight();
    int w = image.getWidth();
    Decoded fast = packed(image, h, w);
    if (fast != null) {
      return fast;
    }
    boolean gray = image.getColorModel().getNumColorComponents() == 1
        && image.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    byte[] px = new byte[h * w * (gray ? 1 : 3)];
    if (gray) {
      Raster raster = image.getRaster();
      int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
      int i = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          px[i++] = (byte) (raster.getSample(x, y, 0) >> shift);
        }
      }
      return new Decoded(h, w, 1, px);
    }
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        px[i++] = (byte) (rgb >> 16);
        px[i++] = (byte) (rgb >> 8);
        px[i++] = (byte) rgb;
      }
    }
    return new Decoded(h, w, 3, px);
  }

  /**
   * A decoded image as planar floats.
   *
   * @param channels 1 or 3
   * @param height rows
   * @param width columns
   * @param pixels values in [0, 1], layout [channels, height, width]
   */
  public record Planar(int channels, int height, int width, float[] pixels) {}

  /**
   * Decodes to floats in [0, 1], layout [channels, height, width], converting the channel
   * count: gray to RGB repeats the plane; RGB to gray uses ITU-R BT.601 luma
   * (0.299 R + 0.587 G + 0.114 B). What embedding reads; training keeps the 8-bit
   * {@link #planarBytes} and converts with {@link #unitFloats}, which gives the same floats.
   *
   * @param channels 1 or 3, usually the manifest's {@code image.channels}
   */
  public static Planar decodePlanar(byte[] encoded, int channels) {
    Decoded d = decode(encoded);
    if (d.channels() <= channels) {
      return new Planar(channels, d.height(), d.width(), unitFloats(planarBytes(d, channels)));
    }
    int plane = d.height() * d.width();
    float[] out = new float[plane];
    byte[] px = d.pixels();
    for (int p = 0; p < plane; p++) {
      out[p] = (0.299f * (px[3 * p] & 0xff) + 0.587f * (px[3 * p + 1] & 0xff)
          + 0.114f * (px[3 * p + 2] & 0xff)) * UNIT;
    }
    return new Planar(channels, d.height(), d.width(), out);
  }

  /**
   * The 8-bit samples of {@code d} planar, {@code [channels, height, width]}, a gray image
   * repeated into R, G and B when {@code channels} is 3: the same values as
   * {@link #decodePlanar}, a quarter of its memory.
   *
   * @param channels 1 or 3, at least {@code d.channels()}
   * @throws IllegalArgumentException for an RGB image asked for as gray: its luma is not an
   *     8-bit value, so it has no exact byte form (use {@link #decodePlanar})
   */
  public static byte[] planarBytes(Decoded d, int channels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
    }
    if (d.channels() > channels) {
      throw new IllegalArgumentException("an RGB image asked for as gray: its luma has no "
          + "exact 8-bit form; read it with 3 channels");
    }
    int plane = d.height() * d.width();
    byte[] px = d.pixels();
    byte[] out = new byte[channels * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < channels; c++) {
        out[c * plane + p] = px[d.channels() == channels ? p * channels + c : p];
      }
    }
    return out;
  }

  /**
   * 8-bit samples as the floats in [0, 1] that training and embedding feed the model:
   * {@code (b & 0xff) * (1f / 255f)}, element by element (a multiplication, not a division by
   * 255, which rounds some values differently). Training's views and {@link #decodePlanar}
   * both scale here, so the two cannot drift apart.
   */
  public static float[] unitFloats(byte[] samples) {
    float[] out = new float[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = (samples[i] & 0xff) * UNIT;
    }
    return out;
  }

  /** Encodes 8-bit pixels [height, width, channels] (1 or 3) as PNG, losslessly. */
  public static byte[] encodePng(byte[] pixels, int height, int width, int channels) {
    return encode("png", toImage(pixels, height, width, channels), null);
  }

  /** Encodes 8-bit pixels [height, width, channels] as JPEG. @param quality in [0, 1] */
  public static byte[] encodeJpeg(byte[] pixels, int height, int width, int channels,
      float quality) {
    return encode("jpeg", toImage(pixels, height, width, channels), quality);
  }

  /**
   * Encodes through an in-memory stream: ImageIO's default stream would buffer through a
   * temporary file per image.
   */
  private static byte[] encode(String format, BufferedImage image, Float quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (quality != null) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** An 8-bit gray or RGB image holding the pixels [height, width, channels]. */
  public static BufferedImage toImage(byte[] pixels, int height, int width, int channels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("images have 1 or 3 channels, not " + channels);
    }
    if (pixels.length != height * width * channels) {
      throw new IllegalArgumentException(pixels.length + " pixel bytes do not make a " + height
          + "x" + width + "x" + channels + " image");
    }
    BufferedImage image = new BufferedImage(width, height,
        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    WritableRaster raster = image.getRaster();
    int[] row = new int[width * channels];
    for (int y = 0; y < height; y++) {
      for (int i = 0; i < row.length; i++) {
        row[i] = pixels[y * row.length + i] & 0xff;
      }
      raster.setPixels(0, y, width, 1, row);
    }
    return image;
  }

  /**
   * The pixels straight from the raster's bytes for the two layouts ImageIO decodes most JPEGs
   * and PNGs to (8-bit gray, 8-bit BGR), about three times faster than per-pixel getRGB; null
   * for any other layout.
   */
  private static Decoded packed(BufferedImage image, int h, int w) {
    int type = image.getType();
    if (type != BufferedImage.TYPE_BYTE_GRAY && type != BufferedImage.TYPE_3BYTE_BGR
        || !(image.getRaster().getDataBuffer() instanceof DataBufferByte buffer)
        || buffer.getNumBanks() != 1) {
      return null;
    }
    int channels = type == BufferedImage.TYPE_BYTE_GRAY ? 1 : 3;
    byte[] data = buffer.getData();
    if (data.length != h * w * channels) {
      return null; // a sub-image or padded rows: take the general path
    }
    byte[] px = data.clone();
    for (int i = 0; channels == 3 && i < px.length; i += 3) {
      byte blue = px[i];
      px[i] = px[i + 2];
      px[i + 2] = blue;
    }
    return new Decoded(h, w, channels, px);
  }

  private static BufferedImage read(byte[] encoded) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("not a JPEG or PNG image (unknown format)");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      try {
        reader.setInput(in, true, true);
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          // ImageIO returns a partly grey image for a truncated JPEG and only warns.
          throw new IllegalArgumentException("corrupt " + reader.getFormatName() + ": "
              + warnings.get(0));
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      throw new IllegalArgumentException("undecodable image: " + e.getMessage(), e);
    }
  }
}
