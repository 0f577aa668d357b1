package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.dataset.MiniBatch;
import com.intel.analytics.bigdl.dataset.Transformer;
import com.intel.analytics.bigdl.dataset.Transformer$class;
import com.intel.analytics.bigdl.tensor.Tensor;
import org.apache.spark.rdd.RDD;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.reflect.ClassTag;

/**
 * Turns an executor's stream of samples into {@link ViewBatch}es, drawing the views of
 * every sample on the executor with seeds from (run seed, epoch, sample id, view): augmentation
 * is redrawn every epoch and a given draw can be repeated. In BigDL's training mode the input
 * stream is endless (random offset, wrapping); otherwise it ends and the last batch is partial.
 */
public final class ViewBatcher implements Transformer<TrainSample, MiniBatch<Object>> {
  private static final long serialVersionUID = 1L;

  private final int batchPerPartition;
  private final ViewSource views;
  private final long runSeed;
  private final int epoch;
  private final int viewsPerSample;

  /**
   * @param batchPerPartition samples per batch on one partition (global batch / partitions)
   * @param views the augmentation
   * @param runSeed the run's seed
   * @param epoch the epoch the batches belong to (1-based)
   * @param viewsPerSample views drawn per sample (2 contrastive, 1 cross-entropy)
   */
  public ViewBatcher(int batchPerPartition, ViewSource views, long runSeed, int epoch,
      int viewsPerSample) {
    this.viewsPerSample = viewsPerSample;
    this.batchPerPartition = batchPerPartition;
    this.views = views;
    this.runSeed = runSeed;
    this.epoch = epoch;
  }

  @Override
  public Iterator<MiniBatch<Object>> apply(Iterator<TrainSample> samples) {
    return new AbstractIterator<>() {
      @Override
      public boolean hasNext() {
        return samples.hasNext();
      }

      @Override
      public MiniBatch<Object> next() {
        java.util.List<TrainSample> chunk = new java.util.ArrayList<>(batchPerPartition);
        while (chunk.size() < batchPerPartition && samples.hasNext()) {
          TrainSample s = samples.next();
          if (s == null) {
            break;
          }
          chunk.add(s);
        }
        return batch(chunk);
      }
    };
  }

  /** The two-view batch of {@code chunk}. */
  public ViewBatch batch(java.util.List<TrainSample> chunk) {
    int b = chunk.size();
    TrainSample first = chunk.get(0);
    int c = views.channels(first);
    int side = views.size();
    int plane = c * side * side;
    float[] input = new float[viewsPerSample * b * plane];
    float[] target = new float[2 * b];
    // Views are drawn on every core: the task's own thread would leave the others idle while
    // the model waits. Each view has its own seed and rows, so the result does not depend on it.
    java.util.stream.IntStream.range(0, b * viewsPerSample).parallel().forEach(r -> {
      TrainSample s = chunk.get(r / viewsPerSample);
      int v = r % viewsPerSample;
      long seed = Augmentations.viewSeed(runSeed, epoch, Augmentations.sampleKey(s.id()), v);
      System.arraycopy(views.view(s, seed), 0, input, r * plane, plane);
    });
    for (int i = 0; i < b; i++) {
      TrainSample s = chunk.get(i);
      target[2 * i] = s.label();
      target[2 * i + 1] = s.cluster();
    }
    Tensor<Object> in = Bigdl.tensor(input, viewsPerSample * b, c, side, side);
    return new ViewBatch(in, Bigdl.tensor(target, b, 2), viewsPerSample);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <C> Transformer<TrainSample, C> $minus$greater(Transformer<MiniBatch<Object>, C> other) {
    return Transformer$class.$minus$greater(this, other);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Transformer<TrainSample, MiniBatch<Object>> cloneTransformer() {
    return Transformer$class.cloneTransformer(this);
  }

  @Override
  @SuppressWarnings("unchecked")
  public RDD<MiniBatch<Object>> apply(RDD<TrainSample> rdd, ClassTag<MiniBatch<Object>> tag) {
    return Transformer$class.apply(this, rdd, tag);
  }
}
