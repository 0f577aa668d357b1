package org.ttcspark.augment;

import static org.ttcspark.platform.Seeds.GOLDEN_GAMMA;
import static org.ttcspark.platform.Seeds.mix64;

import java.nio.charset.StandardCharsets;

/**
 * The augmentation API used by training and embedding: the view transforms of a configuration,
 * normalisation, and the seeds that make every view reproducible.
 *
 * <p>Seeding: view {@code v} of sample {@code id} in epoch {@code e} of a run with seed
 * {@code s} uses {@code viewSeed(s, e, sampleKey(id), v)}, wherever and however often it is
 * computed, so a re-forward of the same sample draws the same view.
 */
public final class Augmentations {
  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private Augmentations() {}

  /**
   * The training view transform of {@code c.recipe()}: SimCLR or the medical variant with the
   * configured parameters, or for {@code none} the evaluation transform.
   *
   * @throws IllegalArgumentException if {@code c.size()} is still 0 (call
   *     {@link AugmentConfig#withSize} with the dataset's image size first)
   */
  public static ViewTransform train(AugmentConfig c) {
    requireSize(c);
    return c.recipe() == AugmentConfig.Recipe.NONE ? eval(c) : new TrainTransform(c);
  }

  /**
   * The evaluation transform: short side resized to {@code floor(c.evalResizeFactor() *
   * c.size())} with bilinear interpolation, then the centre {@code size x size} crop. The seed
   * is ignored.
   *
   * @throws IllegalArgumentException if {@code c.size()} is still 0
   */
  public static ViewTransform eval(AugmentConfig c) {
    requireSize(c);
    return new EvalTransform(c.size(), c.evalResizeFactor());
  }

  private static void requireSize(AugmentConfig c) {
    if (c.size() < 1) {
      throw new IllegalArgumentException("augment.size = " + c.size() + " is not resolved: "
          + "call AugmentConfig.withSize(<dataset image size>) before building transforms");
    }
  }

  /**
   * Normalises per channel: {@code (x - mean[c]) / std[c]}.
   *
   * @param mean per-channel means, length {@code img.channels()}
   * @param std per-channel standard deviations, length {@code img.channels()}, all positive
   * @return a new {@code [channels, height, width]} array
   * @throws IllegalArgumentException if a length does not match or a std is not positive
   */
  public static float[] normalize(Image img, float[] mean, float[] std) {
    float[] out = new float[img.pixels().length];
    normalizeInto(img, mean, std, out, 0);
    return out;
  }

  /**
   * {@link #normalize} written into {@code dest[offset ..]}, for filling a batch tensor
   * {@code [batch, channels, height, width]} without a copy per image.
   *
   * @throws IllegalArgumentException if the lengths do not match or dest is too short
   */
  public static void normalizeInto(Image img, float[] mean, float[] std, float[] dest,
      int offset) {
    int channels = img.channels();
    if (mean == null || std == null || mean.length != channels || std.length != channels) {
      throw new IllegalArgumentException("normalize: mean has " + length(mean)
          + " and std has " + length(std) + " values but the image has " + channels
          + " channel(s); pass one mean and one std per channel (the manifest's train "
          + "statistics)");
    }
    int plane = img.planeSize();
    if (dest == null || offset < 0 || dest.length - offset < channels * plane) {
      throw new IllegalArgumentException("normalize: destination of length "
          + (dest == null ? "null" : dest.length) + " cannot take " + channels * plane + " values at offset " + offset);
    }
    float[] p = img.pixels();
    for (int c = 0; c < channels; c++) {
      if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
        throw new IllegalArgumentException("normalize: channel " + c + " has mean " + mean[c]
            + " and std " + std[c] + "; std must be a finite number above 0");
      }
      float m = mean[c];
      float inv = 1f / std[c];
      int base = c * plane;
      for (int i = 0; i < plane; i++) {
        dest[offset + base + i] = (p[base + i] - m) * inv;
      }
    }
  }

  private static String length(float[] a) {
    return a == null ? "null" : Integer.toString(a.length);
  }

  /**
   * The seed of one view: SplitMix64's finaliser applied in a chain that absorbs the run seed,
   * the epoch, the sample key and the view index, each offset by a different multiple of the
   * golden gamma. Any change of any argument changes about half the bits.
   *
   * @param runSeed {@code run.seed}
   * @param epoch epoch number (0-based or 1-based, as long as the caller is consistent)
   * @param sampleKey {@link #sampleKey} of the sample id
   * @param view view index (0 and 1 for the two views of a contrastive pair)
   */
  public static long viewSeed(long runSeed, int epoch, long sampleKey, int view) {
    long h = mix64(runSeed + GOLDEN_GAMMA);
    h = mix64(h ^ mix64(epoch + 2 * GOLDEN_GAMMA));
    h = mix64(h ^ mix64(sampleKey + 3 * GOLDEN_GAMMA));
    return mix64(h ^ mix64(view + 4 * GOLDEN_GAMMA));
  }

  /**
   * A stable 64-bit key of a sample id: FNV-1a over its UTF-8 bytes, then SplitMix64's
   * finaliser. Unlike {@code String.hashCode} it is 64 bits wide and well mixed; it is fixed
   * forever, since changing it would change every view of every run.
   *
   * @param id the sample id, not null
   */
  public static long sampleKey(String id) {
    if (id == null) {
      throw new IllegalArgumentException("sample id is null: every row needs an id");
    }
    long h = FNV_OFFSET;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * FNV_PRIME;
    }
    return mix64(h);
  }
}
