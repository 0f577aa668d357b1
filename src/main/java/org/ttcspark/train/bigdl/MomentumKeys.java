package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.models.utils.ModelBroadcast;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import org.ttcspark.platform.Bigdl;
import scala.Tuple2;

/**
 * PaCo's (MoCo's) key encoder on one slice: a second copy of the trained model whose weights
 * follow the trained ones with momentum m, {@code w_k <- m w_k + (1 - m) w_q}, updated before
 * every key forward (as the authors' {@code _momentum_update_key_encoder}). Every slice keeps
 * its own copy, next to the model it trains: all slices fetch the same weights every iteration
 * and apply the same update, so the copies stay identical without any traffic, and the keys of
 * a slice are computed where its images are. The copy starts equal to the trained model. It
 * runs in training mode (BatchNorm over the slice's key views, which are another slice of
 * images than its queries; the authors shuffle BatchNorm across GPUs for the same purpose),
 * computed by the engine that computes the slice (BigDL, or PyTorch with
 * {@code engine.type = torch}) without keeping anything for a backward.
 *
 * <p>Views: a slice's batch holds two views per sample (sample-major); view 0 is the query,
 * view 1 the key. The helpers split the input and interleave the outputs back.
 */
final class MomentumKeys {
  private final SliceCompute compute;
  private final Tensor<Object> weights;
  private final double momentum;
  private boolean started;
  /** The key weights before the last momentum update, when it may have to be undone. */
  private final float[] before;
  private boolean startedBefore;

  /**
   * A fresh copy of the broadcast model, computed as the slice's model is ({@code compute}:
   * BigDL or PyTorch); with {@code start} (a resumed run's saved key weights) it starts from
   * those rather than from the first query weights it sees. {@code undoable}: keeps the weights
   * from before each momentum update, for {@link #undo}.
   */
  MomentumKeys(ModelBroadcast<Object> broadcast, double momentum, float[] start,
      SliceCompute.Factory compute, boolean undoable) {
    AbstractModule<Activity, Activity, Object> model = broadcast.value(true, false);
    Tuple2<Tensor<Object>, Tensor<Object>> flat = model.getParameters();
    this.weights = flat._1();
    this.compute = compute.create(model, weights, flat._2());
    this.momentum = momentum;
    this.before = undoable ? new float[(int) weights.nElement()] : null;
    if (start != null) {
      if (start.length != weights.nElement()) {
        throw new IllegalArgumentException("the saved key encoder has " + start.length
            + " weights, the model " + weights.nElement());
      }
      System.arraycopy(start, 0, Bigdl.floats(weights), weights.storageOffset() - 1,
          start.length);
      started = true;
    }
  }

  /** The key weights now, flat (what a checkpoint saves); null before the first key forward. */
  float[] weights() {
    return started ? Bigdl.toArray(weights) : null;
  }

  /**
   * Moves the key weights towards {@code query} (the flat weights the slice just fetched) and
   * encodes {@code keyInput}.
   *
   * @return the key rows, {@code [b, width]}
   */
  float[] encode(Tensor<Object> query, Tensor<Object> keyInput) {
    float[] k = Bigdl.floats(weights);
    float[] q = Bigdl.floats(query);
    int ko = weights.storageOffset() - 1;
    int qo = query.storageOffset() - 1;
    int n = (int) weights.nElement();
    if (before != null) {
      System.arraycopy(k, ko, before, 0, n);
      startedBefore = started;
    }
    if (!started) {
      System.arraycopy(q, qo, k, ko, n);
      started = true;
    } else {
      float m = (float) momentum;
      for (int i = 0; i < n; i++) {
        k[ko + i] = m * k[ko + i] + (1 - m) * q[qo + i];
      }
    }
    return compute.encode(keyInput);
  }

  /**
   * Puts the key weights back to what they were before the last {@link #encode}: its step's
   * update was skipped, so the key encoder must not have moved either (bit-identical).
   *
   * @throws IllegalStateException when made without {@code undoable}
   */
  void undo() {
    if (before == null) {
      throw new IllegalStateException("the key encoder keeps no weights to undo a skipped "
          + "update with; GlobalStep.momentumKeys must be told that updates may be skipped");
    }
    System.arraycopy(before, 0, Bigdl.floats(weights), weights.storageOffset() - 1,
        before.length);
    started = startedBefore;
  }

  /** Rows {@code i*views + view} of a sample-major batch tensor, as a new tensor. */
  static Tensor<Object> view(Tensor<Object> batch, int views, int view) {
    int rows = batch.size(1) / views;
    int[] shape = batch.size();
    int per = (int) (batch.nElement() / batch.size(1));
    float[] all = Bigdl.toArray(batch);
    float[] out = new float[rows * per];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(all, (i * views + view) * per, out, i * per, per);
    }
    shape[0] = rows;
    return Bigdl.tensor(out, shape);
  }

  /** Query and key rows ({@code [b, width]} each) interleaved, sample-major. */
  static float[] interleave(float[] queries, float[] keys, int width) {
    int b = queries.length / width;
    float[] out = new float[2 * b * width];
    for (int i = 0; i < b; i++) {
      System.arraycopy(queries, i * width, out, 2 * i * width, width);
      System.arraycopy(keys, i * width, out, (2 * i + 1) * width, width);
    }
    return out;
  }

  /** The query rows ({@code 2i}) of an interleaved gradient. */
  static float[] queryRows(float[] interleaved, int width) {
    int b = interleaved.length / width / 2;
    float[] out = new float[b * width];
    for (int i = 0; i < b; i++) {
      System.arraycopy(interleaved, 2 * i * width, out, i * width, width);
    }
    return out;
  }
}
