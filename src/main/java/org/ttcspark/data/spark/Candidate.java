package org.ttcspark.data.spark;

import java.io.Serializable;

/**
 * One image the source offers, before it is read: what the driver samples. Small on purpose,
 * since the driver holds one per source image.
 *
 * @param id stable id within the dataset
 * @param split train, val or test
 * @param label 0 or 1
 * @param className the source's class name
 * @param subtype latent sub-type, or -1 when the source has none
 * @param source file path, or archive member reference for array sources
 * @param index row of an array source or image number of the synthetic source; 0 for files
 */
public record Candidate(String id, String split, int label, String className, int subtype,
    String source, long index) implements Serializable {

  /** The same image as repetition {@code copy} of the upsample option (id {@code <id>~<copy>}). */
  public Candidate copy(int copy) {
    return copy == 0 ? this
        : new Candidate(id + "~" + copy, split, label, className, subtype, source, index);
  }

  /** The same image moved to another split (hold-out validation). */
  public Candidate inSplit(String newSplit) {
    return new Candidate(id, newSplit, label, className, subtype, source, index);
  }
}
