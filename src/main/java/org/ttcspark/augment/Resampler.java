package org.ttcspark.augment;

/**
 * Bilinear resampling of a rectangle of an image, with the triangle filter widened when
 * shrinking (antialiasing), as Pillow's {@code Image.resize(BILINEAR)} and torchvision's
 * {@code resize(antialias=True)} do. When enlarging this is plain bilinear interpolation with
 * half-pixel centres ({@code align_corners=False}) and edge pixels repeated.
 *
 * <p>The filter is separable: a horizontal pass over only the source rows the vertical pass
 * reads, then a vertical pass. Cropping, resizing, taking a window of the resized image and a
 * horizontal flip are all folded into the two coefficient tables, so a view costs two passes
 * and no per-pixel allocation.
 */
final class Resampler {

  private Resampler() {}

  /**
   * Filter taps of one axis: output index {@code o} reads source indices
   * {@code start[o] .. start[o] + count[o] - 1} with weights {@code weights[o * taps + j]}.
   */
  record Taps(int[] start, int[] count, float[] weights, int taps) {
    int size() {
      return start.length;
    }
  }

  /**
   * Taps resampling the source segment {@code [offset, offset + inSize)} to {@code outSize}
   * samples, keeping outputs {@code outFrom .. outFrom + outCount - 1}, mirrored when
   * {@code reversed} (output {@code i} then takes resized sample {@code outFrom + outCount - 1
   * - i}). Follows Pillow's {@code precompute_coeffs}: sample {@code o} is centred on
   * {@code (o + 0.5) * scale} in source pixels, the triangle filter has support
   * {@code max(scale, 1)}, and the weights are normalised over the pixels inside the segment.
   */
  static Taps taps(int offset, int inSize, int outSize, int outFrom, int outCount,
      boolean reversed) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = filterScale;
    int taps = (int) Math.ceil(support) * 2 + 1;
    int[] start = new int[outCount];
    int[] count = new int[outCount];
    float[] weights = new float[outCount * taps];
    for (int i = 0; i < outCount; i++) {
      int o = outFrom + (reversed ? outCount - 1 - i : i);
      double center = (o + 0.5) * scale;
      // (int) truncates towards zero like Pillow's C cast; negatives are clamped to 0 anyway.
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), inSize);
      int n = max - min;
      double total = 0;
      for (int j = 0; j < n; j++) {
        total += triangle((j + min - center + 0.5) / filterScale);
      }
      for (int j = 0; j < n; j++) {
        double w = triangle((j + min - center + 0.5) / filterScale);
        weights[i * taps + j] = (float) (total == 0 ? 0 : w / total);
      }
      start[i] = offset + min;
      count[i] = n;
    }
    return new Taps(start, count, weights, taps);
  }

  private static double triangle(double x) {
    double d = Math.abs(x);
    return d < 1.0 ? 1.0 - d : 0.0;
  }

  /**
   * Resamples {@code in} with the given row and column taps.
   *
   * @return a new {@code [channels, rows.size(), cols.size()]} image, values clamped to [0, 1]
   */
  static Image resample(Image in, Taps rows, Taps cols) {
    int channels = in.channels();
    int height = in.height();
    int width = in.width();
    float[] src = in.pixels();
    int firstRow = rows.start()[0];
    int lastRow = firstRow;
    for (int y = 0; y < rows.size(); y++) {
      firstRow = Math.min(firstRow, rows.start()[y]);
      lastRow = Math.max(lastRow, rows.start()[y] + rows.count()[y]);
    }
    int usedRows = lastRow - firstRow;
    int outW = cols.size();
    int outH = rows.size();
    float[] tmp = new float[channels * usedRows * outW];
    int[] cs = cols.start();
    int[] cn = cols.count();
    float[] cw = cols.weights();
    int ct = cols.taps();
    for (int c = 0; c < channels; c++) {
      for (int r = 0; r < usedRows; r++) {
        int srcBase = (c * height + firstRow + r) * width;
        int tmpBase = (c * usedRows + r) * outW;
        for (int x = 0; x < outW; x++) {
          int s = srcBase + cs[x];
          int wBase = x * ct;
          float acc = 0f;
          for (int j = 0, n = cn[x]; j < n; j++) {
            acc += cw[wBase + j] * src[s + j];
          }
          tmp[tmpBase + x] = acc;
        }
      }
    }
    float[] out = new float[channels * outH * outW];
    int[] rs = rows.start();
    int[] rn = rows.count();
    float[] rw = rows.weights();
    int rt = rows.taps();
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < outH; y++) {
        int outBase = (c * outH + y) * outW;
        for (int j = 0, n = rn[y]; j < n; j++) {
          float w = rw[y * rt + j];
          int tmpBase = (c * usedRows + rs[y] - firstRow + j) * outW;
          for (int x = 0; x < outW; x++) {
            out[outBase + x] += w * tmp[tmpBase + x];
          }
        }
        // Normalised non-negative weights keep values in [0, 1] up to float rounding.
        for (int x = 0; x < outW; x++) {
          float v = out[outBase + x];
          out[outBase + x] = v < 0f ? 0f : (v > 1f ? 1f : v);
        }
      }
    }
    return new Image(channels, outH, outW, out);
  }

  /**
   * Crops the box {@code (top, left, height, width)} of {@code in}, resizes it to
   * {@code outSize x outSize} and mirrors it left-right when {@code flip}: torchvision's
   * {@code resized_crop} followed by {@code hflip}, in one resampling.
   */
  static Image resizedCrop(Image in, CropBox box, int outSize, boolean flip) {
    Taps rows = taps(box.top(), box.height(), outSize, 0, outSize, false);
    Taps cols = taps(box.left(), box.width(), outSize, 0, outSize, flip);
    return resample(in, rows, cols);
  }
}
