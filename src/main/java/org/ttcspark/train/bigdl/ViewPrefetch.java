package org.ttcspark.train.bigdl;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.ttcspark.train.TrainSample;

/**
 * Draws the next iteration's views of a slice on a background thread of the executor while the
 * current iteration computes, so that augmentation is no longer on the step's critical path.
 *
 * <p>Results cannot depend on it: a view is a pure function of (sample, seed), so a prefetched
 * batch holds exactly the pixels the task would have drawn itself. A prefetched batch is used
 * only by the task that asks for the same training run ({@code token}), epoch and slice and the
 * very same samples in the same order; anything else (a new epoch order, a resumed run, an
 * executor that did not compute the previous iteration) draws the views in the task as before.
 * Only the pixels are prefetched: labels and cluster ids come from the task's own samples.
 *
 * <p>One batch ahead per slot at most: asking for slot s's next batch replaces (and cancels) the
 * one waiting there, so the memory held is one batch of views per slice of this executor.
 */
final class ViewPrefetch {
  private static final ConcurrentHashMap<Integer, Pending> SLOTS = new ConcurrentHashMap<>();
  private static final AtomicLong HITS = new AtomicLong();
  private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "ttc-view-prefetch");
    t.setDaemon(true);
    return t;
  });

  private ViewPrefetch() {}

  /** A batch of views being drawn for ({@code token}, {@code epoch}, samples {@code keys}). */
  private record Pending(String token, int epoch, String[] ids, Future<float[]> views) {}

  /**
   * The views of {@code chunk}: the batch prefetched for exactly this draw if there is one,
   * else {@code draw}'s result computed on the calling thread.
   *
   * @param token identifies the training run's view draws (views, run seed, views per sample)
   * @param slot the slice (partition) the batch is for
   */
  static float[] take(String token, int epoch, int slot, List<TrainSample> chunk,
      Supplier<float[]> draw) {
    Pending p = SLOTS.remove(slot);
    if (p != null && p.token.equals(token) && p.epoch == epoch
        && Arrays.equals(p.ids, ids(chunk))) {
      try {
        float[] views = p.views.get();
        HITS.incrementAndGet();
        return views;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for prefetched views", e);
      } catch (ExecutionException | CancellationException e) {
        // drawn again below, on this thread, where a failure surfaces with its own message
      }
    } else if (p != null) {
      p.views.cancel(true);
    }
    return draw.get();
  }

  /**
   * Starts drawing the views of {@code next} (what slot {@code slot} will train on next) in
   * the background, replacing whatever waited in that slot.
   */
  static void ahead(String token, int epoch, int slot, List<TrainSample> next,
      Supplier<float[]> draw) {
    Pending old = SLOTS.put(slot, new Pending(token, epoch, ids(next), THREAD.submit(draw::get)));
    if (old != null) {
      old.views.cancel(true);
    }
  }

  /** Batches taken from the prefetch so far in this JVM, for tests. */
  static long hits() {
    return HITS.get();
  }

  /** Batches waiting, for tests. */
  static int waiting() {
    return SLOTS.size();
  }

  private static String[] ids(List<TrainSample> chunk) {
    String[] out = new String[chunk.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = chunk.get(i).id();
    }
    return out;
  }
}
