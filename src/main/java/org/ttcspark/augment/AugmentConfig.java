package org.ttcspark.augment;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code augment} section: which recipe draws the training views, its parameters, the
 * output size and the evaluation transform. README, "Preparing data" gives the recipes; the defaults live in
 * {@code reference.conf}.
 *
 * <p>The recipe chooses the sub-section the parameters are read from: {@code simclr} reads
 * {@code augment.simclr.*}, {@code medical-gray} reads {@code augment.medical-gray.*}; the other
 * sub-section is ignored. {@code none} reads neither: its parameters are neutral (full crop,
 * no flip, no jitter, no grayscale) and {@link Augmentations#train} returns the evaluation
 * transform. There are no recipe-independent overrides, so a value is set in exactly one place.
 *
 * @param recipe the training recipe
 * @param size side of the square views in pixels; 0 until resolved by {@link #withSize}
 * @param cropScaleMin smallest crop area as a fraction of the image, in (0, 1]
 * @param cropScaleMax largest crop area fraction, in [cropScaleMin, 1]
 * @param cropRatioMin smallest crop aspect ratio (width / height), greater than 0
 * @param cropRatioMax largest crop aspect ratio, at least cropRatioMin
 * @param flipProbability probability of a horizontal flip, in [0, 1]
 * @param brightness brightness jitter strength s: factor in [max(0, 1 - s), 1 + s]
 * @param contrast contrast jitter strength, as brightness
 * @param saturation saturation jitter strength, as brightness (RGB only)
 * @param hue hue jitter strength h in [0, 0.5]: shift in [-h, h] turns (RGB only)
 * @param jitterProbability probability of applying the colour jitter, in [0, 1]
 * @param grayscaleProbability probability of converting to grayscale, in [0, 1] (RGB only)
 * @param evalResizeFactor evaluation resizes the short side to
 *     {@code floor(evalResizeFactor * size)}, at least 1
 */
public record AugmentConfig(
    Recipe recipe,
    int size,
    double cropScaleMin,
    double cropScaleMax,
    double cropRatioMin,
    double cropRatioMax,
    double flipProbability,
    double brightness,
    double contrast,
    double saturation,
    double hue,
    double jitterProbability,
    double grayscaleProbability,
    double evalResizeFactor) implements Serializable {

  /** The training recipes of README, "Preparing data", named in kebab-case in the configuration. */
  public enum Recipe {
    /** Random resized crop, flip, colour jitter, grayscale (Chen et al. 2020). */
    SIMCLR,
    /** Crop, flip and a mild brightness/contrast jitter, for grayscale medical images. */
    MEDICAL_GRAY,
    /** No random change: training views are the evaluation transform. */
    NONE
  }

  /** @throws IllegalArgumentException naming the first parameter out of range */
  public AugmentConfig {
    if (recipe == null) {
      throw new IllegalArgumentException("augment recipe is null: use one of simclr, "
          + "medical-gray, none");
    }
    check(size >= 0, "size", size, "at least 0 (0 = the dataset's image size)");
    check(cropScaleMin > 0 && cropScaleMin <= cropScaleMax && cropScaleMax <= 1,
        "crop-scale", cropScaleMin + ".." + cropScaleMax, "0 < min <= max <= 1");
    check(cropRatioMin > 0 && cropRatioMin <= cropRatioMax && Double.isFinite(cropRatioMax),
        "crop-ratio", cropRatioMin + ".." + cropRatioMax, "0 < min <= max");
    checkProbability(flipProbability, "flip-probability");
    checkProbability(jitterProbability, "jitter-probability");
    checkProbability(grayscaleProbability, "grayscale-probability");
    checkStrength(brightness, "brightness");
    checkStrength(contrast, "contrast");
    checkStrength(saturation, "saturation");
    check(hue >= 0 && hue <= 0.5, "hue", hue, "between 0 and 0.5");
    check(evalResizeFactor >= 1 && Double.isFinite(evalResizeFactor), "eval-resize-factor",
        evalResizeFactor, "a finite number of at least 1");
  }

  /**
   * Reads and validates the {@code augment} section, reporting every problem at once.
   *
   * @throws org.ttcspark.config.ConfigProblems naming each bad key, value and origin
   */
  public static AugmentConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    Recipe recipe = r.enumOf("augment.recipe", Recipe.class);
    int size = r.intIn("augment.size", 0, 65_536);
    double evalFactor = r.doubleIn("augment.eval-resize-factor", 1, 16);
    if (recipe == Recipe.NONE) {
      r.done();
      return new AugmentConfig(recipe, size, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, evalFactor);
    }
    String s = "augment." + ConfigReader.kebab(recipe) + ".";
    double[] scale = range(r, s + "crop-scale", 1);
    double[] ratio = range(r, s + "crop-ratio", Double.MAX_VALUE);
    double flip = r.doubleIn(s + "flip-probability", 0, 1);
    double brightness = r.doubleIn(s + "brightness", 0, Double.MAX_VALUE);
    double contrast = r.doubleIn(s + "contrast", 0, Double.MAX_VALUE);
    double saturation = r.doubleIn(s + "saturation", 0, Double.MAX_VALUE);
    double hue = r.doubleIn(s + "hue", 0, 0.5);
    double jitter = r.doubleIn(s + "jitter-probability", 0, 1);
    double gray = r.doubleIn(s + "grayscale-probability", 0, 1);
    r.done();
    return new AugmentConfig(recipe, size, scale[0], scale[1], ratio[0], ratio[1], flip,
        brightness, contrast, saturation, hue, jitter, gray, evalFactor);
  }

  /** A pair {@code [min, max]} with {@code 0 < min <= max <= upper}. */
  private static double[] range(ConfigReader r, String path, double upper) {
    List<Double> v = r.doubles(path);
    boolean pair = v.size() == 2;
    r.require(pair, path, "must be a list of two numbers [min, max]");
    if (!pair) {
      return new double[] {1, 1};
    }
    double min = v.get(0);
    double max = v.get(1);
    r.require(min > 0 && min <= max && max <= upper && Double.isFinite(max), path,
        "must satisfy 0 < min <= max" + (upper == 1 ? " <= 1" : ""));
    return new double[] {min, max};
  }

  /**
   * This configuration with the view side set, for {@code size = 0} resolved from the
   * dataset's image size by the caller.
   *
   * @param pixels side of the square views, at least 1
   * @throws IllegalArgumentException if {@code pixels < 1}
   */
  public AugmentConfig withSize(int pixels) {
    check(pixels >= 1, "size", pixels, "at least 1 pixel");
    return new AugmentConfig(recipe, pixels, cropScaleMin, cropScaleMax, cropRatioMin,
        cropRatioMax, flipProbability, brightness, contrast, saturation, hue, jitterProbability,
        grayscaleProbability, evalResizeFactor);
  }

  /** The view side for an image of side {@code datasetSize}: {@link #size}, or it if 0. */
  public int sizeFor(int datasetSize) {
    return size == 0 ? datasetSize : size;
  }

  private static void checkProbability(double p, String name) {
    check(p >= 0 && p <= 1, name, p, "a probability between 0 and 1");
  }

  private static void checkStrength(double s, String name) {
    check(s >= 0 && Double.isFinite(s), name, s, "a finite strength of at least 0");
  }

  private static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException("augment " + name + " = " + value + ": must be "
          + expected);
    }
  }
}
