package org.ttcspark.loss.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.Arrays;
import org.ttcspark.loss.Collapse;
import org.ttcspark.loss.ContrastiveBatch;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.LossResult;
import org.ttcspark.loss.Views;
import org.ttcspark.platform.Bigdl;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * A {@link ContrastiveLoss} as a BigDL criterion, so that DistriOptimizer trains with it.
 *
 * <p>Input: the model's projections, {@code [V*B, D]} <b>sample-major</b> (row {@code i*V + v}
 * is view v of sample i: BigDL slices mini-batches by rows, and both views of a sample must stay
 * in the same slice), or {@code [B, V, D]}. Target: {@code [B, 2]}, label and cluster id (see
 * {@link Targets}), or one such row per input row ({@code [V*B, 2]}, sample-major, equal within a
 * sample). The per-row form exists because BigDL's {@code MiniBatch.slice} narrows input and
 * target by the same row range when it splits a batch over model replicas: with a
 * {@code [V*B, ...]} input the target must have as many rows, and each replica's share must be a
 * multiple of V rows. The rows are reordered to view-major once, by {@link Views}, and the
 * gradient back.
 *
 * <p>{@code forward} computes loss and gradient together; {@code backward} after a
 * {@code forward} returns that gradient (DistriOptimizer always calls them in pairs), and
 * computes afresh otherwise. Random choices (SupMin's subset, KCL's positives) are drawn from
 * {@code seed} and the number of forward calls so far, so a run is reproducible; replicas cloned
 * by BigDL start from the same state. The loss value is the criterion's output. Not thread-safe
 * (BigDL gives every model replica its own clone).
 */
public final class ContrastiveCriterion
    extends AbstractCriterion<Tensor<Object>, Tensor<Object>, Object> {
  private static final long serialVersionUID = 1L;

  private final ContrastiveLoss loss;
  private final long seed;
  private final int views;
  private long calls;
  private boolean gradientPending;
  private double lastMeanCosine = Double.NaN;
  private double lastCollapsedLoss = Double.NaN;
  private boolean statsPending;

  /**
   * A criterion for two views per sample.
   *
   * @param loss the loss (immutable, serializable)
   * @param seed seed of the loss's random choices
   */
  public ContrastiveCriterion(ContrastiveLoss loss, long seed) {
    this(loss, seed, 2);
  }

  /**
   * @param loss the loss (immutable, serializable)
   * @param seed seed of the loss's random choices
   * @param views views per sample in a 2-D input ({@code [B, V, D]} inputs carry their own V)
   */
  public ContrastiveCriterion(ContrastiveLoss loss, long seed, int views) {
    super(tensorTag(), tensorTag(), Bigdl.FLOAT, Bigdl.NUMERIC);
    if (views < 1) {
      throw new IllegalArgumentException("views per sample is " + views + "; need at least 1");
    }
    this.loss = loss;
    this.seed = seed;
    this.views = views;
  }

  /** The wrapped loss. */
  public ContrastiveLoss loss() {
    return loss;
  }

  /** Forward calls so far: the position in the random sequence. */
  public long calls() {
    return calls;
  }

  @Override
  public Object updateOutput(Tensor<Object> input, Tensor<Object> target) {
    if (input.dim() < 2 || input.dim() > 3) {
      throw new IllegalArgumentException("criterion input has shape "
          + Arrays.toString(input.size()) + "; expected [batch*views, dim] (sample-major) or "
          + "[batch, views, dim]");
    }
    int views = input.dim() == 3 ? input.size(2) : this.views;
    int rows = input.dim() == 3 ? input.size(1) * views : input.size(1);
    int dim = input.size(input.dim());
    Targets t = Targets.of(target);
    if (t.batch() == rows && views > 1 && rows % views == 0) {
      t = t.perSample(views);
    } else if (t.batch() * views != rows) {
      throw new IllegalArgumentException("criterion input has shape "
          + Arrays.toString(input.size()) + " (" + rows + " rows of " + views + " views) but "
          + "the target has " + t.batch() + " rows; expected one target row per sample ("
          + rows / Math.max(views, 1) + ") or per input row (" + rows + ")");
    }
    int b = t.batch();
    float[] viewMajor = Views.toViewMajor(Bigdl.toArray(input), b, views, dim);
    ContrastiveBatch batch = ContrastiveBatch.of(viewMajor, b, views, dim, t.labels(),
        t.clusters());
    LossResult r = loss.compute(batch, drawSeed(seed, calls++));
    lastMeanCosine = Collapse.meanCosine(viewMajor, rows, dim);
    lastCollapsedLoss = loss.collapsedLoss(batch).orElse(Double.NaN);
    statsPending = true;
    float[] grad = Views.toSampleMajor(r.grad(), b, views, dim);
    Tensor<Object> g = gradInput().resizeAs(input);
    System.arraycopy(grad, 0, Bigdl.floats(g), g.storageOffset() - 1, grad.length);
    gradientPending = true;
    output_$eq((float) r.loss());
    return output();
  }

  @Override
  public Tensor<Object> updateGradInput(Tensor<Object> input, Tensor<Object> target) {
    if (!gradientPending) {
      updateOutput(input, target);
    }
    gradientPending = false;
    return gradInput();
  }

  /**
   * The batch statistics of the last forward call, once: {@code [mean pairwise cosine,
   * collapsed-batch loss (NaN when the method has none)]}, or null when no forward call came
   * since the last take. DistriOptimizer runs the loss on executors, where only this
   * criterion sees the projections; a parameter processor collects these in the same
   * iteration (see {@code train.bigdl.BatchStatsCollector}).
   */
  public double[] takeBatchStats() {
    if (!statsPending) {
      return null;
    }
    statsPending = false;
    return new double[] {lastMeanCosine, lastCollapsedLoss};
  }

  /** The seed of call number {@code call}: SplitMix64's finaliser over seed and call. */
  public static long drawSeed(long seed, long call) {
    return org.ttcspark.platform.Seeds.derive(seed, call);
  }

  @SuppressWarnings("unchecked")
  static ClassTag<Tensor<Object>> tensorTag() {
    return (ClassTag<Tensor<Object>>) (ClassTag<?>) ClassTag$.MODULE$.apply(Tensor.class);
  }
}
