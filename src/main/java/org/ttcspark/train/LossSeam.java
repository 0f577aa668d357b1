package org.ttcspark.train;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import org.apache.spark.api.java.JavaRDD;

/**
 * The one place a trainer gets its loss from, once per epoch. At the start of every epoch, on
 * the driver, the trainer calls {@link #begin} with the model as trained so far and the train
 * split; the seam does whatever the loss needs from the data (SBCL's k-means re-clustering,
 * SupProto's data prototypes: Spark jobs that embed the train split with the model) and returns
 * the samples to train on in this epoch and the criterion to train them with. Every trainer
 * (DistriOptimizer per executor slice, or a global-batch trainer) goes through this seam, so
 * the per-epoch work is written once. See README.md, "Which batch the loss sees" and "What the
 * loss needs from the data".
 *
 * <p>Contract: {@code begin} is called once per epoch, in increasing epoch order (a resumed run
 * starts at its first unfinished epoch); it does not modify the model; it returns the same
 * {@code samples} instance for as long as the samples do not change (a trainer may keep
 * batches cached until then). Not thread-safe.
 */
public interface LossSeam {
  /**
   * What the loss needs for the epoch about to run.
   *
   * @param epoch the epoch (1-based) that starts
   * @param model the plain BigDL model with the weights trained so far (read only)
   * @param train the train split, cached, cluster ids -1
   * @return the samples and the criterion for this epoch
   * @throws IOException if the seam's files in the run folder cannot be read or written
   */
  Epoch begin(int epoch, AbstractModule<Activity, Activity, Object> model,
      JavaRDD<TrainSample> train) throws IOException;

  /**
   * The inputs of one epoch.
   *
   * @param samples the train samples of this epoch: {@code train} itself, or a copy carrying
   *     SBCL's cluster ids ({@link TrainSample#cluster})
   * @param criterion the criterion ({@code loss.bigdl.ContrastiveCriterion} for contrastive
   *     methods); input and target as README.md, "Criterion contract"
   * @param subclasses the clustering behind the cluster ids, to give other samples (the val
   *     split) theirs with {@link SubclassCentres#assign}; null when the loss uses none
   */
  record Epoch(JavaRDD<TrainSample> samples,
      AbstractCriterion<Activity, Activity, Object> criterion, SubclassCentres subclasses) {}

  /** A seam that trains every epoch on the train split with the same criterion. */
  static LossSeam fixed(AbstractCriterion<Activity, Activity, Object> criterion) {
    return (epoch, model, train) -> new Epoch(train, criterion, null);
  }
}
