package org.ttcspark.augment;

/**
 * An image as planar floats: {@code pixels[(c * height + y) * width + x]} ({@code [channels,
 * height, width]}, CHW), values in {@code [0, 1]}, 1 (gray) or 3 (RGB) channels.
 *
 * <p>The array is not copied (images are made for every view of every iteration): whoever
 * builds an {@code Image} hands the array over and must not change it afterwards. Values are
 * not range-checked for the same reason; the transforms of this package clamp their outputs.
 * Record equality is array identity; compare {@link #pixels()} with {@code Arrays.equals}.
 *
 * @param channels 1 or 3
 * @param height rows, at least 1
 * @param width columns, at least 1
 * @param pixels {@code channels * height * width} values, CHW, not null
 */
public record Image(int channels, int height, int width, float[] pixels) {

  /** @throws IllegalArgumentException if a dimension or the array length is wrong */
  public Image {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("image channels = " + channels
          + ": must be 1 (gray) or 3 (RGB); convert other layouts (alpha, CMYK) first");
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("image size " + height + "x" + width
          + " (height x width): both must be at least 1 pixel");
    }
    if (pixels == null) {
      throw new IllegalArgumentException("image pixels are null: pass a float array of "
          + "channels * height * width values");
    }
    long expected = (long) channels * height * width;
    if (pixels.length != expected) {
      throw new IllegalArgumentException("image pixel array has " + pixels.length
          + " values but " + channels + "x" + height + "x" + width + " (CHW) needs " + expected
          + "; check the channel count and the image size");
    }
  }

  /**
   * Converts 8-bit interleaved pixels ({@code [height, width, channels]}, HWC, as decoders and
   * NumPy arrays lay them out) to a planar image with values {@code byte / 255}.
   *
   * @param hwc {@code height * width * channels} unsigned bytes, not null
   * @throws IllegalArgumentException if the array length does not match the dimensions
   */
  public static Image fromHwcBytes(int channels, int height, int width, byte[] hwc) {
    long expected = (long) channels * height * width;
    if (hwc == null || hwc.length != expected) {
      throw new IllegalArgumentException("HWC byte array has "
          + (hwc == null ? "null" : hwc.length + " values") + " but " + height + "x" + width
          + "x" + channels + " needs " + expected + "; check the channel count and image size");
    }
    int plane = height * width;
    float[] out = new float[channels * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < channels; c++) {
        out[c * plane + i] = (hwc[i * channels + c] & 0xFF) * (1f / 255f);
      }
    }
    return new Image(channels, height, width, out);
  }

  /** Pixels per channel plane: {@code height * width}. */
  public int planeSize() {
    return height * width;
  }
}
