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
   * Filter taps of one axis: output index {@code o} reads the {@code taps} source indices from
   * {@code start[o]} with weights {@code weights[o * taps + j]}. Every output has the same
   * number of taps (zero-padded near the edges) so that the loops have a fixed trip count.
   */
  record Taps(int[] start, float[] weights, int taps) {
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
    int capacity = (int) Math.ceil(support) * 2 + 1;
    int[] first = new int[outCount];
    int[] count = new int[outCount];
    double[] raw = new double[outCount * capacity];
    int taps = 1;
    for (int i = 0; i < outCount; i++) {
      int o = outFrom + (reversed ? outCount - 1 - i : i);
      double center = (o + 0.5) * scale;
      // (int) truncates towards zero like Pillow's C cast; negatives are clamped to 0 anyway.
      int min = Math.max((int) (center - support + 0.5), 0);
      int n = Math.min((int) (center + support + 0.5), inSize) - min;
      double total = 0;
      for (int j = 0; j < n; j++) {
        raw[i * capacity + j] = triangle((j + min - center + 0.5) / filterScale);
        total += raw[i * capacity + j];
      }
      for (int j = 0; j < n; j++) {
        raw[i * capacity + j] = total == 0 ? 0 : raw[i * capacity + j] / total;
      }
      first[i] = min;
      count[i] = n;
      taps = Math.max(taps, n);
    }
    int[] start = new int[outCount];
    float[] weights = new float[outCount * taps];
    for (int i = 0; i < outCount; i++) {
      // Shift windows that would run past the end left, padding with zero weights.
      int s = Math.min(first[i], inSize - taps);
      for (int j = 0; j < count[i]; j++) {
        weights[i * taps + first[i] - s + j] = (float) raw[i * capacity + j];
      }
      start[i] = offset + s;
    }
    return new Taps(start, weights, taps);
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
    int firstRow = Integer.MAX_VALUE;
    int lastRow = 0;
    for (int y = 0; y < rows.size(); y++) {
      firstRow = Math.min(firstRow, rows.start()[y]);
      lastRow = Math.max(lastRow, rows.start()[y] + rows.taps());
    }
    int usedRows = lastRow - firstRow;
    int outW = cols.size();
    int outH = rows.size();
    float[] tmp = new float[channels * usedRows * outW];
    for (int c = 0; c < channels; c++) {
      for (int r = 0; r < usedRows; r++) {
        horizontal(in.pixels(), (c * in.height() + firstRow + r) * in.width(), cols, tmp,
            (c * usedRows + r) * outW);
      }
    }
    float[] out = new float[channels * outH * outW];
    int[] rs = rows.start();
    float[] rw = rows.weights();
    int k = rows.taps();
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < outH; y++) {
        int o = (c * outH + y) * outW;
        int t = (c * usedRows + rs[y] - firstRow) * outW;
        if (k == 2) {
          // Bilinear enlargement, the common case: one fused, vectorisable pass.
          float w0 = rw[2 * y];
          float w1 = rw[2 * y + 1];
          for (int x = 0; x < outW; x++) {
            out[o + x] = clamp(w0 * tmp[t + x] + w1 * tmp[t + outW + x]);
          }
        } else {
          for (int j = 0; j < k; j++) {
            float w = rw[y * k + j];
            int tj = t + j * outW;
            for (int x = 0; x < outW; x++) {
              out[o + x] += w * tmp[tj + x];
            }
          }
          for (int x = 0; x < outW; x++) {
            out[o + x] = clamp(out[o + x]);
          }
        }
      }
    }
    return new Image(channels, outH, outW, out);
  }

  /** One row: {@code dst[d + x] = sum_j w[x, j] * src[s + start[x] + j]}. */
  private static void horizontal(float[] src, int s, Taps cols, float[] dst, int d) {
    int[] cs = cols.start();
    float[] cw = cols.weights();
    int k = cols.taps();
    int outW = cs.length;
    if (k == 2) {
      for (int x = 0; x < outW; x++) {
        int i = s + cs[x];
        dst[d + x] = cw[2 * x] * src[i] + cw[2 * x + 1] * src[i + 1];
      }
      return;
    }
    for (int x = 0; x < outW; x++) {
      int i = s + cs[x];
      float acc = 0f;
      for (int j = 0; j < k; j++) {
        acc += cw[x * k + j] * src[i + j];
      }
      dst[d + x] = acc;
    }
  }

  /** Normalised non-negative weights keep values in [0, 1] up to float rounding. */
  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
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
