package org.ttcspark.model;

import com.typesafe.config.Config;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code model} section: which encoder to build.
 *
 * @param backbone ResNet-18 or ResNet-50
 * @param stem the stem, or null for {@code auto} (chosen from the image size by
 *     {@link #stemFor(int)})
 * @param width base width of the first stage (64 for the standard nets; smaller for tests)
 * @param projectionDim output width of the projection head (128 in the paper)
 * @param normalize whether the projection is L2-normalised (contrastive losses need it)
 */
public record ModelConfig(Backbone backbone, Stem stem, int width, int projectionDim,
    boolean normalize) {

  /** Reads and checks the {@code model} section. @throws org.ttcspark.config.ConfigProblems */
  public static ModelConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    Backbone backbone = r.enumOf("model.backbone", Backbone.class);
    String stem = r.oneOf("model.stem", "auto", "imagenet", "cifar");
    ModelConfig mc = new ModelConfig(backbone,
        stem.equals("auto") || stem.isEmpty() ? null : Stem.valueOf(stem.toUpperCase()),
        r.intIn("model.width", 4, 256), r.intIn("model.projection-dim", 2, 8192),
        r.bool("model.normalize"));
    r.done();
    return mc;
  }

  /** The stem for images of {@code imageSize} pixels a side. */
  public Stem stemFor(int imageSize) {
    return stem != null ? stem : Stem.forImageSize(imageSize);
  }

  /** Width of the pooled backbone feature. */
  public int featureDim() {
    return backbone.featureDim(width);
  }

  /**
   * The input channels a {@link #signature} was made for, or empty for a signature that does
   * not say (written by another version).
   */
  public static java.util.OptionalInt channelsOf(String signature) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-c(\\d+)-s\\d+")
        .matcher(signature);
    return m.find() ? java.util.OptionalInt.of(Integer.parseInt(m.group(1)))
        : java.util.OptionalInt.empty();
  }

  /** A short name of the architecture, stored with checkpoints to recognise a foreign one. */
  public String signature(int channels, int imageSize) {
    return backbone.name().toLowerCase() + "-" + stemFor(imageSize).name().toLowerCase()
        + "-w" + width + "-p" + projectionDim + "-c" + channels + "-s" + imageSize
        + (normalize ? "-l2" : "");
  }
}
