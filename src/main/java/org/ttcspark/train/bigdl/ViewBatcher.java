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
  private final String prefetch;
  /**
   * Nanoseconds this JVM's tasks spent getting their batches' views, and the batches: BigDL
   * caches one copy of the transformer per partition, so an accumulator would not reach the
   * driver; in local mode the executor is the driver's JVM, which reads these.
   */
  private static final java.util.concurrent.atomic.LongAdder NANOS =
      new java.util.concurrent.atomic.LongAdder();
  private static final java.util.concurrent.atomic.LongAdder BATCHES =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * @param batchPerPartition samples per batch on one partition (global batch / partitions)
   * @param views the augmentation
   * @param runSeed the run's seed
   * @param epoch the epoch the batches belong to (1-based)
   * @param viewsPerSample views drawn per sample (2 contrastive, 1 cross-entropy)
   */
  public ViewBatcher(int batchPerPartition, ViewSource views, long runSeed, int epoch,
      int viewsPerSample) {
    this(batchPerPartition, views, runSeed, epoch, viewsPerSample, null);
  }

  private ViewBatcher(int batchPerPartition, ViewSource views, long runSeed, int epoch,
      int viewsPerSample, String prefetch) {
    this.viewsPerSample = viewsPerSample;
    this.batchPerPartition = batchPerPartition;
    this.views = views;
    this.runSeed = runSeed;
    this.epoch = epoch;
    this.prefetch = prefetch;
  }

  /**
   * This batcher, drawing the next batch of each partition in the background while the
   * current one trains ({@link ViewPrefetch}).
   *
   * @param token identifies this run's view draws; null draws every batch in its task
   */
  public ViewBatcher prefetching(String token) {
    return new ViewBatcher(batchPerPartition, views, runSeed, epoch, viewsPerSample, token);
  }

  /** Nanoseconds this JVM's tasks have spent getting their views (drawn or waited for). */
  static long viewNanos() {
    return NANOS.sum();
  }

  /** Batches this JVM's tasks have taken. */
  static long batchesTaken() {
    return BATCHES.sum();
  }

  @Override
  public Iterator<MiniBatch<Object>> apply(Iterator<TrainSample> samples) {
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    int slot = task == null ? -1 : task.partitionId();
    boolean ahead = prefetch != null && slot >= 0;
    return new AbstractIterator<>() {
      // the chunk read ahead of the one being returned (prefetch only)
      private java.util.List<TrainSample> buffered;

      @Override
      public boolean hasNext() {
        return buffered != null || samples.hasNext();
      }

      @Override
      public MiniBatch<Object> next() {
        java.util.List<TrainSample> chunk = buffered != null ? buffered : read(samples);
        buffered = null;
        long start = System.nanoTime();
        float[] input = ahead
            ? ViewPrefetch.take(prefetch, epoch, slot, chunk, () -> draw(chunk))
            : draw(chunk);
        NANOS.add(System.nanoTime() - start);
        BATCHES.increment();
        if (ahead && samples.hasNext()) {
          java.util.List<TrainSample> next = read(samples);
          buffered = next;
          ViewPrefetch.ahead(prefetch, epoch, slot, next, () -> draw(next));
        }
        return assemble(chunk, input);
      }
    };
  }

  /** The next batch's samples: up to {@code batchPerPartition}. */
  private java.util.List<TrainSample> read(Iterator<TrainSample> samples) {
    java.util.List<TrainSample> chunk = new java.util.ArrayList<>(batchPerPartition);
    while (chunk.size() < batchPerPartition && samples.hasNext()) {
      TrainSample s = samples.next();
      if (s == null) {
        break;
      }
      chunk.add(s);
    }
    return chunk;
  }

  /** The two-view batch of {@code chunk}. */
  public ViewBatch batch(java.util.List<TrainSample> chunk) {
    return assemble(chunk, draw(chunk));
  }

  /**
   * The views of {@code chunk}, {@code [V*B, C, size, size]} flat in sample-interleaved order:
   * a pure function of the samples, the run seed and the epoch, whichever thread draws them.
   */
  float[] draw(java.util.List<TrainSample> chunk) {
    int b = chunk.size();
    int plane = views.channels(chunk.get(0)) * views.size() * views.size();
    float[] input = new float[viewsPerSample * b * plane];
    // Views are drawn on every core: the task's own thread would leave the others idle while
    // the model waits. Each view has its own seed and rows, so the result does not depend on it.
    java.util.stream.IntStream.range(0, b * viewsPerSample).parallel().forEach(r -> {
      TrainSample s = chunk.get(r / viewsPerSample);
      int v = r % viewsPerSample;
      long seed = Augmentations.viewSeed(runSeed, epoch, Augmentations.sampleKey(s.id()), v);
      System.arraycopy(views.view(s, seed), 0, input, r * plane, plane);
    });
    return input;
  }

  /** The batch of {@code chunk} with its drawn views {@code input}. */
  ViewBatch assemble(java.util.List<TrainSample> chunk, float[] input) {
    int b = chunk.size();
    int c = views.channels(chunk.get(0));
    int side = views.size();
    float[] target = new float[2 * b];
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
