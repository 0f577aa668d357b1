package org.ttcspark.model;

/** The first layers of the backbone, chosen by image size. */
public enum Stem {
  /** 7×7 convolution with stride 2 and a 3×3/2 max-pool: for 128–224 px images. */
  IMAGENET,
  /** 3×3 convolution with stride 1 and no max-pool: for 28–64 px images. */
  CIFAR;

  /** Images of at most this many pixels a side get the CIFAR stem under {@code auto}. */
  public static final int AUTO_CIFAR_MAX_SIZE = 64;

  /** The stem {@code auto} picks for an image side: CIFAR up to 64 px, ImageNet above. */
  public static Stem forImageSize(int imageSize) {
    return imageSize <= AUTO_CIFAR_MAX_SIZE ? CIFAR : IMAGENET;
  }

  /** Spatial side after the stem for an input side of {@code size} pixels. */
  public int outputSize(int size) {
    return this == CIFAR ? size : halve(halve(size));
  }

  /** Side after a stride-2 convolution or pooling with "same" padding: ceil(n / 2). */
  public static int halve(int n) {
    return (n + 1) / 2;
  }
}
