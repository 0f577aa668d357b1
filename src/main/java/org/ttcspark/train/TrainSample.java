package org.ttcspark.train;

import java.io.Serializable;

/**
 * One decoded training image as the executors hold it in memory.
 *
 * @param id the prepared dataset's image id (seeds the image's augmentation draws)
 * @param label 0 or 1
 * @param cluster cluster (subclass) id for SBCL, -1 when unused
 * @param channels 1 or 3
 * @param height pixels
 * @param width pixels
 * @param pixels {@code [channels, height, width]} row-major, values in [0, 1]
 */
public record TrainSample(String id, int label, int cluster, int channels, int height, int width,
    float[] pixels) implements Serializable {

  /** The same sample with another cluster id. */
  public TrainSample withCluster(int c) {
    return new TrainSample(id, label, c, channels, height, width, pixels);
  }
}
