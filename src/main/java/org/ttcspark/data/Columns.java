package org.ttcspark.data;

/**
 * The schema of a prepared dataset: the contract between {@code prepare} (which writes it) and
 * {@code pretrain}, {@code train-ce} and {@code embed} (which read it).
 *
 * <p>A prepared dataset is a folder (any Hadoop path) holding
 * <ul>
 *   <li>Parquet partitioned by {@link #SPLIT} ({@code split=train}, {@code split=val},
 *       {@code split=test}), one row per image with the columns below;</li>
 *   <li>{@code manifest.json}: {@code format} ("ttc-prepared/1"), {@code source}, every
 *       parameter, {@code seed}, {@code counts} (split → class label → rows),
 *       {@code class_names} (label → name), {@code image} ({@code height}, {@code width},
 *       {@code channels} over every split; height and width are null when images differ in size,
 *       channels is 3 as soon as one image is RGB), {@code mean} and
 *       {@code std} (per channel, of the train split, pixel values scaled to [0,1]; a gray image
 *       in an RGB dataset counts as R = G = B, see {@link Images}), {@code bad_records} (names of skipped
 *       inputs), {@code created} (ISO time) and {@code ttc_version}.</li>
 * </ul>
 * A dataset is complete only when {@code manifest.json} exists: {@code prepare} writes
 * everything to a temporary folder beside the target and renames it at the end.
 */
public final class Columns {
  /**
   * Stable identifier of the image within the dataset (string). With the {@code upsample}
   * option a repeated train image appears again with the id {@code <id>~<copy>} (copy 1, 2,
   * ...) and the same {@link #SOURCE}.
   */
  public static final String ID = "id";
  /** "train", "val" or "test" (string; the partition column). */
  public static final String SPLIT = "split";
  /** Binary label 0/1 (int). */
  public static final String LABEL = "label";
  /** The source's class name the label came from, e.g. an iNat21 category (string). */
  public static final String CLASS_NAME = "class_name";
  /**
   * Sub-type within the class (int, null where the source has none): the latent sub-type of the
   * synthetic source, the original class index (0..9) of fashion-mnist.
   */
  public static final String SUBTYPE = "subtype";
  /** Image height in pixels (int). */
  public static final String HEIGHT = "height";
  /** Image width in pixels (int). */
  public static final String WIDTH = "width";
  /** 1 (grayscale) or 3 (RGB) (int). */
  public static final String CHANNELS = "channels";
  /** Encoded image bytes, JPEG or PNG as read from the source, PNG for array sources (binary). */
  public static final String IMAGE = "image";
  /** Where the image came from: a file path or "archive.npz:train_images[17]" (string). */
  public static final String SOURCE = "source";

  /** Split names. */
  public static final String TRAIN = "train";
  public static final String VAL = "val";
  public static final String TEST = "test";

  /** The manifest's file name inside a prepared dataset folder. */
  public static final String MANIFEST = "manifest.json";

  private Columns() {}
}
