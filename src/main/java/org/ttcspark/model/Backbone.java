package org.ttcspark.model;

/**
 * The ResNet backbones ttc-spark trains: block layout and the width of the pooled feature.
 * Pure description; {@link org.ttcspark.model.bigdl.ResNetBuilder} turns it into BigDL layers.
 */
public enum Backbone {
  /** Basic blocks [2, 2, 2, 2]; feature = 8 × base width (512 at width 64). */
  RESNET18(new int[] {2, 2, 2, 2}, false),
  /** Bottleneck blocks [3, 4, 6, 3]; feature = 32 × base width (2048 at width 64). */
  RESNET50(new int[] {3, 4, 6, 3}, true);

  private final int[] blocks;
  private final boolean bottleneck;

  Backbone(int[] blocks, boolean bottleneck) {
    this.blocks = blocks;
    this.bottleneck = bottleneck;
  }

  /** Blocks per stage (4 stages). */
  public int[] blocks() {
    return blocks.clone();
  }

  /** True for bottleneck blocks (1×1, 3×3, 1×1 with 4× expansion). */
  public boolean bottleneck() {
    return bottleneck;
  }

  /** Width of the pooled backbone feature for a given base width (64 for the standard nets). */
  public int featureDim(int baseWidth) {
    return baseWidth * 8 * (bottleneck ? 4 : 1);
  }
}
