package org.ttcspark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.ttcspark.loss.Collapse;
import org.ttcspark.loss.ContrastiveBatch;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.LossResult;
import org.ttcspark.loss.Views;

/**
 * The loss of one iteration from the projections of its slices (one slice per model copy), and
 * each slice's share of the gradient, in either {@link LossScope}. Pure: this is the maths the
 * global-batch trainer runs on the driver, kept apart from Spark so that it tests in
 * milliseconds.
 *
 * <p>{@link LossScope#GLOBAL}: one loss over all samples of all slices, put in one canonical
 * order (by sample key) first, so that the loss, its random draws (SupMin's majority subset,
 * KCL's positives) and the gradient do not depend on how the batch was split; each slice
 * receives its rows of {@code dLoss/dz}. {@link LossScope#LOCAL}: what DistriOptimizer does,
 * one loss per slice (its samples in key order) with the same draw seed, the mean of those
 * losses, and each slice's gradient divided by the number of slices (DistriOptimizer averages
 * the copies' parameter gradients).
 */
public final class SliceLoss {
  private SliceLoss() {}

  /**
   * One slice's forward result.
   *
   * @param projections {@code [views*b, dim]} sample-major (row {@code i*views + v} is view v of
   *     sample i), as the model emits them
   * @param labels b labels
   * @param clusters b cluster ids (-1 when unused)
   * @param keys b sample keys ({@link org.ttcspark.augment.Augmentations#sampleKey}), distinct
   */
  public record Slice(float[] projections, int[] labels, int[] clusters, long[] keys)
      implements java.io.Serializable {
    /** Samples in the slice. */
    public int samples() {
      return labels.length;
    }
  }

  /**
   * @param loss the iteration's loss
   * @param gradients per slice, {@code dLoss/dz} of its rows, sample-major like its projections
   * @param stats the batch's mean pairwise cosine and collapsed-batch loss (means over the
   *     slices in local scope, as the loss)
   */
  public record Result(double loss, List<float[]> gradients, BatchStats stats) {}

  /**
   * Evaluates the loss.
   *
   * @param scope global or local
   * @param loss the contrastive loss
   * @param slices the slices in order (at least one, each with at least one sample)
   * @param views views per sample
   * @param dim projection dimension
   * @param drawSeed seed of the loss's random choices for this iteration
   * @throws IllegalArgumentException if a slice's projections do not have views*b*dim values
   */
  public static Result evaluate(LossScope scope, ContrastiveLoss loss, List<Slice> slices,
      int views, int dim, long drawSeed) {
    if (slices.isEmpty()) {
      throw new IllegalArgumentException("an iteration needs at least one slice");
    }
    for (int p = 0; p < slices.size(); p++) {
      Slice s = slices.get(p);
      if (s.keys().length != s.samples() || s.clusters().length != s.samples()) {
        throw new IllegalArgumentException("slice " + p + " has " + s.samples() + " labels, "
            + s.clusters().length + " cluster ids and " + s.keys().length + " keys");
      }
      if (s.projections().length != (long) views * s.samples() * dim) {
        throw new IllegalArgumentException("slice " + p + " has " + s.projections().length
            + " projection values for " + s.samples() + " samples x " + views + " views x "
            + dim + " dimensions");
      }
    }
    return scope == LossScope.GLOBAL ? global(loss, slices, views, dim, drawSeed)
        : local(loss, slices, views, dim, drawSeed);
  }

  private static Result global(ContrastiveLoss loss, List<Slice> slices, int views, int dim,
      long drawSeed) {
    int b = 0;
    for (Slice s : slices) {
      b += s.samples();
    }
    // (slice, row) of every sample, in key order
    long[][] order = new long[b][];
    int at = 0;
    for (int p = 0; p < slices.size(); p++) {
      Slice s = slices.get(p);
      for (int i = 0; i < s.samples(); i++) {
        order[at++] = new long[] {s.keys()[i], p, i};
      }
    }
    Arrays.sort(order, Comparator.comparingLong(o -> o[0]));
    int row = views * dim;
    float[] z = new float[b * row];
    int[] labels = new int[b];
    int[] clusters = new int[b];
    for (int j = 0; j < b; j++) {
      Slice s = slices.get((int) order[j][1]);
      int i = (int) order[j][2];
      System.arraycopy(s.projections(), i * row, z, j * row, row);
      labels[j] = s.labels()[i];
      clusters[j] = s.clusters()[i];
    }
    ContrastiveBatch batch = batch(z, b, views, dim, labels, clusters);
    LossResult r = compute(loss, batch, drawSeed);
    BatchStats stats = BatchStats.of(Collapse.meanCosine(z, b * views, dim),
        loss.collapsedLoss(batch).orElse(Double.NaN));
    List<float[]> grads = new ArrayList<>(slices.size());
    for (Slice s : slices) {
      grads.add(new float[s.projections().length]);
    }
    for (int j = 0; j < b; j++) {
      System.arraycopy(r.grad(), j * row, grads.get((int) order[j][1]), (int) order[j][2] * row,
          row);
    }
    return new Result(r.loss(), grads, stats);
  }

  private static Result local(ContrastiveLoss loss, List<Slice> slices, int views, int dim,
      long drawSeed) {
    double sum = 0;
    double cosine = 0;
    double collapsed = 0;
    float share = 1f / slices.size();
    List<float[]> grads = new ArrayList<>(slices.size());
    for (Slice s : slices) {
      Result r = global(loss, List.of(s), views, dim, drawSeed);
      sum += r.loss();
      cosine += nanIfNull(r.stats().meanCosine());
      collapsed += nanIfNull(r.stats().collapsedLoss());
      float[] g = r.gradients().get(0);
      for (int i = 0; i < g.length; i++) {
        g[i] *= share;
      }
      grads.add(g);
    }
    int n = slices.size();
    return new Result(sum / n, grads, BatchStats.of(cosine / n, collapsed / n));
  }

  private static double nanIfNull(Double v) {
    return v == null ? Double.NaN : v;
  }

  /** The checked batch of sample-major projections (view-major inside). */
  private static ContrastiveBatch batch(float[] sampleMajor, int b, int views, int dim,
      int[] labels, int[] clusters) {
    boolean anyCluster = false;
    for (int c : clusters) {
      anyCluster |= c >= 0;
    }
    return ContrastiveBatch.of(Views.toViewMajor(sampleMajor, b, views, dim), b, views, dim,
        labels, anyCluster ? clusters : null);
  }

  /** The loss of a batch, its gradient returned sample-major. */
  private static LossResult compute(ContrastiveLoss loss, ContrastiveBatch batch, long drawSeed) {
    LossResult r = loss.compute(batch, drawSeed);
    return new LossResult(r.loss(),
        Views.toSampleMajor(r.grad(), batch.batch(), batch.views(), batch.dim()));
  }
}
