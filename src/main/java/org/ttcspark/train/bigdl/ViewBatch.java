package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.dataset.MiniBatch;
import com.intel.analytics.bigdl.dataset.Sample;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.tensor.TensorNumericMath;
import scala.collection.Seq;

/**
 * A BigDL mini-batch of B samples with V views each (2 for the contrastive losses, 1 for
 * cross-entropy). Input {@code [V*B, C, H, W]} in sample-interleaved order (row {@code V*i + v}
 * is view v of sample i); target {@code [B, 2]} (column 0 the label 0/1, column 1 the cluster id
 * or -1), as the loss criteria expect.
 *
 * <p>{@link #size()} and {@link #slice} count <em>samples</em>: DistriOptimizer splits a batch
 * across MklBlas model replicas with {@code slice(k * B/n + 1, B/n)}, and each slice keeps
 * all views of its samples together.
 */
public final class ViewBatch implements MiniBatch<Object> {
  private static final long serialVersionUID = 1L;
  private final Tensor<Object> input;
  private final Tensor<Object> target;
  private final int views;

  /**
   * @param input {@code [V*B, C, H, W]} interleaved views
   * @param target {@code [B, 2]} label and cluster id
   * @param views V, at least 1
   */
  public ViewBatch(Tensor<Object> input, Tensor<Object> target, int views) {
    if (views < 1 || input.size(1) != views * target.size(1)) {
      throw new IllegalArgumentException("a batch of " + views + " view(s) per sample needs "
          + views + " input rows per target row; got " + input.size(1) + " rows for "
          + target.size(1) + " samples");
    }
    this.input = input;
    this.target = target;
    this.views = views;
  }

  /** Views per sample. */
  public int views() {
    return views;
  }

  @Override
  public int size() {
    return target.size(1);
  }

  /** Samples {@code offset .. offset + length - 1} (1-based, as BigDL counts). */
  @Override
  public MiniBatch<Object> slice(int offset, int length) {
    return new ViewBatch(input.narrow(1, views * (offset - 1) + 1, views * length),
        target.narrow(1, offset, length), views);
  }

  @Override
  public Activity getInput() {
    return input;
  }

  @Override
  public Activity getTarget() {
    return target;
  }

  @Override
  public Tensor<Object> data() {
    return input;
  }

  @Override
  public Tensor<Object> labels() {
    return target;
  }

  /** Not supported: batches are assembled by {@link ViewBatcher}, not from BigDL samples. */
  @Override
  public MiniBatch<Object> set(Seq<Sample<Object>> samples,
      TensorNumericMath.TensorNumeric<Object> ev) {
    throw new UnsupportedOperationException("ViewBatch is built by ViewBatcher");
  }
}
