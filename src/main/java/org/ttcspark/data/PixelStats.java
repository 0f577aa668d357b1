package org.ttcspark.data;

import java.io.Serializable;

/**
 * Mergeable per-channel pixel statistics and image-shape summary of a set of decoded images,
 * pixel values scaled to [0, 1]. Gray and RGB images are counted apart; when any RGB image is
 * present the result has 3 channels and each gray pixel counts as R = G = B (the same rule as
 * {@link Images#decodePlanar} with 3 channels). Mutable; Spark merges per-task instances.
 */
public final class PixelStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private long grayPixels;
  private double graySum;
  private double graySquares;
  private long rgbPixels;
  private final double[] rgbSum = new double[3];
  private final double[] rgbSquares = new double[3];
  private long images;
  private int minHeight = Integer.MAX_VALUE;
  private int maxHeight;
  private int minWidth = Integer.MAX_VALUE;
  private int maxWidth;

  /** Adds one decoded image. */
  public void add(Images.Decoded d) {
    images++;
    minHeight = Math.min(minHeight, d.height());
    maxHeight = Math.max(maxHeight, d.height());
    minWidth = Math.min(minWidth, d.width());
    maxWidth = Math.max(maxWidth, d.width());
    byte[] px = d.pixels();
    if (d.channels() == 1) {
      for (byte b : px) {
        double v = (b & 0xff) / 255.0;
        graySum += v;
        graySquares += v * v;
      }
      grayPixels += px.length;
      return;
    }
    for (int i = 0; i < px.length; i++) {
      double v = (px[i] & 0xff) / 255.0;
      rgbSum[i % 3] += v;
      rgbSquares[i % 3] += v * v;
    }
    rgbPixels += px.length / 3;
  }

  /** Adds another instance's counts into this one. */
  public void merge(PixelStats o) {
    grayPixels += o.grayPixels;
    graySum += o.graySum;
    graySquares += o.graySquares;
    rgbPixels += o.rgbPixels;
    for (int c = 0; c < 3; c++) {
      rgbSum[c] += o.rgbSum[c];
      rgbSquares[c] += o.rgbSquares[c];
    }
    images += o.images;
    minHeight = Math.min(minHeight, o.minHeight);
    maxHeight = Math.max(maxHeight, o.maxHeight);
    minWidth = Math.min(minWidth, o.minWidth);
    maxWidth = Math.max(maxWidth, o.maxWidth);
  }

  /** Number of images added. */
  public long images() {
    return images;
  }

  /** 1 when every image is gray, 3 when any is RGB, 0 when empty. */
  public int channels() {
    return rgbPixels > 0 ? 3 : grayPixels > 0 ? 1 : 0;
  }

  /** Per-channel mean (empty when no image was added). */
  public double[] mean() {
    return moments()[0];
  }

  /** Per-channel population standard deviation (empty when no image was added). */
  public double[] std() {
    return moments()[1];
  }

  /** The common image height, or -1 when sizes differ or nothing was added. */
  public int commonHeight() {
    return images > 0 && minHeight == maxHeight ? minHeight : -1;
  }

  /** The common image width, or -1 when sizes differ or nothing was added. */
  public int commonWidth() {
    return images > 0 && minWidth == maxWidth ? minWidth : -1;
  }

  private double[][] moments() {
    int k = channels();
    double[][] out = {new double[k], new double[k]};
    for (int c = 0; c < k; c++) {
      double n = k == 1 ? grayPixels : rgbPixels + grayPixels;
      double s = k == 1 ? graySum : rgbSum[c] + graySum;
      double q = k == 1 ? graySquares : rgbSquares[c] + graySquares;
      double mean = s / n;
      out[0][c] = mean;
      out[1][c] = Math.sqrt(Math.max(0, q / n - mean * mean));
    }
    return out;
  }
}
