package org.ttcspark.train;

import java.io.Serializable;
import org.ttcspark.augment.Image;
import org.ttcspark.data.Images;

/**
 * One decoded training image as the executors hold it in memory, cached for the whole run.
 *
 * <p>The pixels stay 8-bit: the prepared images are 8-bit PNG or JPEG, so floats would hold no
 * more information in four times the memory (602 KB instead of 151 KB for a 224 px RGB image),
 * and a cached split that outgrows Spark's storage memory spills to disk. A view converts them
 * to floats when it is drawn ({@link #image}), with the same values as decoding to floats.
 *
 * @param id the prepared dataset's image id (seeds the image's augmentation draws)
 * @param label 0 or 1
 * @param cluster cluster (subclass) id for SBCL, -1 when unused
 * @param channels 1 or 3
 * @param height pixels
 * @param width pixels
 * @param pixels {@code [channels, height, width]} row-major, unsigned 8-bit samples (value
 *     {@code b & 0xff} stands for {@code (b & 0xff) / 255}); not copied, not to be changed
 */
public record TrainSample(String id, int label, int cluster, int channels, int height, int width,
    byte[] pixels) implements Serializable {

  /** @throws IllegalArgumentException if the pixel array does not match the dimensions */
  public TrainSample {
    if (pixels == null || pixels.length != (long) channels * height * width) {
      throw new IllegalArgumentException("train sample " + id + " has "
          + (pixels == null ? "no pixels" : pixels.length + " pixel bytes") + " but "
          + channels + "x" + height + "x" + width + " (CHW) needs " + (long) channels * height
          * width);
    }
  }

  /** The same sample with another cluster id (the pixels are shared, not copied). */
  public TrainSample withCluster(int c) {
    return new TrainSample(id, label, c, channels, height, width, pixels);
  }

  /**
   * The image a view is drawn from: planar floats in [0, 1], in a new array on every call (the
   * transforms take it over), bit-identical to {@link Images#decodePlanar} of the same image.
   */
  public Image image() {
    return new Image(channels, height, width, Images.unitFloats(pixels));
  }
}
