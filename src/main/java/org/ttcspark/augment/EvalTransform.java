package org.ttcspark.augment;

/**
 * The evaluation view: resize so that the short side is {@code floor(factor * size)} pixels
 * (bilinear, the long side scaled in proportion and truncated, as torchvision's
 * {@code Resize(int)}), then take the centre {@code size x size} crop (offsets rounded half to
 * even, as {@code CenterCrop}). Both steps are one resampling pass: only the kept window of
 * the resized image is computed. Deterministic: the seed is ignored.
 */
final class EvalTransform implements ViewTransform {
  private static final long serialVersionUID = 1L;

  private final int size;
  private final double factor;

  EvalTransform(int size, double factor) {
    this.size = size;
    this.factor = factor;
  }

  @Override
  public Image apply(Image in, long seed) {
    int[] resized = resizedShape(in.height(), in.width());
    CropBox window = window(resized[0], resized[1]);
    Resampler.Taps rows = Resampler.taps(0, in.height(), resized[0], window.top(), size, false);
    Resampler.Taps cols = Resampler.taps(0, in.width(), resized[1], window.left(), size, false);
    return Resampler.resample(in, rows, cols);
  }

  /** {@code [height, width]} after the short-side resize. */
  int[] resizedShape(int height, int width) {
    // Truncated like Python's int() (1.15 * 32 = 36.8 gives 36), but a product that is an
    // integer on paper stays one: 1.15 * 100 is 114.99999999999999 in binary and gives 115.
    int shortSide = (int) Math.floor(factor * size + 1e-9);
    if (height <= width) {
      return new int[] {shortSide, (int) ((long) shortSide * width / height)};
    }
    return new int[] {(int) ((long) shortSide * height / width), shortSide};
  }

  /** The centre {@code size x size} window of a {@code height x width} resized image. */
  CropBox window(int height, int width) {
    int top = (int) Math.rint((height - size) / 2.0);
    int left = (int) Math.rint((width - size) / 2.0);
    return new CropBox(top, left, size, size);
  }
}
