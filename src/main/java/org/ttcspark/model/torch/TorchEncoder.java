package org.ttcspark.model.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.intel.analytics.bigdl.nn.BatchNormalization;
import com.intel.analytics.bigdl.nn.CAddTable;
import com.intel.analytics.bigdl.nn.ConcatTable;
import com.intel.analytics.bigdl.nn.Identity;
import com.intel.analytics.bigdl.nn.JoinTable;
import com.intel.analytics.bigdl.nn.Linear;
import com.intel.analytics.bigdl.nn.Normalize;
import com.intel.analytics.bigdl.nn.ReLU;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.SpatialAveragePooling;
import com.intel.analytics.bigdl.nn.SpatialConvolution;
import com.intel.analytics.bigdl.nn.SpatialMaxPooling;
import com.intel.analytics.bigdl.nn.View;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.Precision;
import org.ttcspark.platform.Torch;

/**
 * A BigDL model computed in PyTorch: the same layers in the same order, read off the BigDL
 * module tree (so encoders, classifiers and any later change to the builders come along), with
 * the parameters taken as views of one flat vector laid out exactly as BigDL's
 * {@code getParameters()} lays it out. That makes the two engines interchangeable: the flat
 * weights of either are the other's, the flat gradient goes into BigDL's all-reduce as it is,
 * and a checkpoint (the BigDL model) serves both.
 *
 * <p>Each parameter is its own autograd leaf (a view of the flat weights), and the flat
 * gradient is joined from theirs once after the backward. A flat vector that requires the
 * gradient, with every parameter sliced from it, would be the same maths 20 times slower: the
 * backward of each slice writes a gradient the size of the whole vector (ResNet-18: 62
 * parameters × 46 MB per step).
 *
 * <p>One forward keeps its autograd graph until {@link #backward} (or the next forward), as the
 * global-scope step needs: projections go to the driver between the two. BatchNorm's running
 * statistics live here and move in training-mode forwards (PyTorch's update, which is BigDL's:
 * momentum 0.1, unbiased variance).
 *
 * <p>In fp16 ({@code engine.precision}) it computes as PyTorch's autocast: convolutions
 * and linear layers cast their input and their weights (views of the fp32 flat vector) to the
 * low type inside the graph, BatchNorm, the L2 normalisation and the output are fp32. The casts
 * are part of the graph, so autograd hands back an fp32 gradient of the fp32 master vector.
 */
public final class TorchEncoder implements AutoCloseable {
  private final NDManager manager;
  private final Op root;
  private final List<NDArray> running = new ArrayList<>();
  private final long size;
  private final DataType low;
  private DataType gradientType;
  private NDManager step;
  private Map<Long, NDArray> leaves;
  private NDArray output;
  private NDArray input;

  private TorchEncoder(NDManager manager, Op root, long size, DataType low) {
    this.manager = manager;
    this.root = root;
    this.size = size;
    this.low = low;
  }

  /**
   * The PyTorch twin of {@code model} on {@code device}, with the model's BatchNorm running
   * statistics. The model's parameters are compacted into one flat vector if they are not yet.
   * The PyTorch engine must be loaded ({@link Torch#engine(int, String)}).
   *
   * @throws IllegalArgumentException for a layer the torch engine does not compute
   */
  public static TorchEncoder of(AbstractModule<Activity, Activity, Object> model,
      Device device) {
    return of(model, device, Precision.FP32);
  }

  /**
   * As {@link #of(AbstractModule, Device)}, with convolutions and linear layers computed in
   * {@code precision}.
   */
  public static TorchEncoder of(AbstractModule<Activity, Activity, Object> model,
      Device device, Precision precision) {
    if (precision == Precision.BF16) {
      // DJL 0.33's native dtype table ends before bfloat16: naming it aborts the process
      throw new IllegalArgumentException("engine.precision = bf16: the PyTorch binding (DJL "
          + "0.33) cannot create bfloat16 tensors; use fp16 (loss-scaled) or fp32");
    }
    Tensor<Object> weights = model.getParameters()._1();
    NDManager manager = NDManager.newBaseManager(device, Torch.ENGINE);
    List<Tensor<Object>> stats = new ArrayList<>();
    Op root = compile(model, weights, stats);
    DataType low = precision == Precision.FP16 ? DataType.FLOAT16 : null;
    TorchEncoder e = new TorchEncoder(manager, root, weights.nElement(), low);
    for (Tensor<Object> t : stats) {
      e.running.add(manager.create(Bigdl.toArray(t), new Shape(t.nElement())));
    }
    return e;
  }

  /** Parameters in the flat vector. */
  public long size() {
    return size;
  }

  /**
   * Forwards {@code input} (NCHW, row-major) with the flat parameter vector {@code weights}.
   * In training mode BatchNorm uses batch statistics and the graph is kept for
   * {@link #backward}.
   *
   * @return the output, row-major (e.g. {@code [batch, projectionDim]})
   */
  public float[] forward(float[] input, int[] shape, float[] weights, boolean training) {
    return run(input, shape, weights, training, training);
  }

  /**
   * Forwards {@code input} in training mode (BatchNorm over the batch, running statistics
   * updated) without building an autograd graph: an encoder that gets no gradient, as PaCo's
   * momentum key encoder.
   *
   * @return the output, row-major
   */
  public float[] encode(float[] input, int[] shape, float[] weights) {
    return run(input, shape, weights, true, false);
  }

  private float[] run(float[] input, int[] shape, float[] weights, boolean training,
      boolean graph) {
    if (weights.length != size) {
      throw new IllegalArgumentException("the flat weights hold " + weights.length
          + " values but the model has " + size + " parameters");
    }
    release();
    step = manager.newSubManager();
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(graph);
    try {
      NDArray flat = step.create(weights);
      leaves = graph ? new TreeMap<>() : null;
      long[] dims = new long[shape.length];
      for (int i = 0; i < shape.length; i++) {
        dims[i] = shape[i];
      }
      NDArray x = step.create(input, new Shape(dims));
      this.input = x;
      output = fp32(root.apply(new NDList(x), new Ctx(flat, leaves, running, training, low))
          .singletonOrThrow());
      float[] out = output.toFloatArray();
      if (!graph) {
        release();
      }
      return out;
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /**
   * Back-propagates {@code gradOutput} (the loss gradient of the last training forward's
   * output) and returns the gradient of every parameter in the flat layout.
   */
  public float[] backward(float[] gradOutput) {
    if (output == null || leaves == null) {
      throw new IllegalStateException("backward without a training forward before it");
    }
    NDArray g = step.create(gradOutput, output.getShape());
    JniUtils.backward((PtNDArray) output, (PtNDArray) g, false, false);
    NDList parts = new NDList();
    long at = 0;
    for (Map.Entry<Long, NDArray> e : leaves.entrySet()) {
      if (e.getKey() > at) {
        parts.add(step.zeros(new Shape(e.getKey() - at)));
      }
      NDArray grad = e.getValue().getGradient();
      gradientType = grad.getDataType();
      parts.add(grad.reshape(-1));
      at = e.getKey() + grad.size();
    }
    if (at < size) {
      parts.add(step.zeros(new Shape(size - at)));
    }
    float[] out = NDArrays.concat(parts).toFloatArray();
    release();
    return out;
  }

  /**
   * The type of the last gradient {@link #backward} returned (null before one): fp32 in every
   * precision, the master vector's.
   */
  public DataType gradientType() {
    return gradientType;
  }

  /** BatchNorm running statistics, in BigDL's {@code getExtraParameter()} order. */
  public float[][] runningStatistics() {
    float[][] out = new float[running.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = running.get(i).toFloatArray();
    }
    return out;
  }

  /** Replaces the BatchNorm running statistics (BigDL's {@code getExtraParameter()} order). */
  public void setRunningStatistics(float[][] values) {
    if (values.length != running.size()) {
      throw new IllegalArgumentException(values.length + " running statistics given, the model "
          + "has " + running.size());
    }
    for (int i = 0; i < values.length; i++) {
      running.get(i).set(values[i]);
    }
  }

  private void release() {
    if (step != null) {
      step.close();
    }
    step = null;
    leaves = null;
    output = null;
  }

  @Override
  public void close() {
    release();
    manager.close();
  }

  /**
   * {@code x} as fp32 (itself when it is), through a cast autograd differentiates: PyTorch's
   * type promotion adding a one-element fp32 zero (DJL's {@code toType} runs without autograd).
   */
  private static NDArray fp32(NDArray x) {
    return x.getDataType() == DataType.FLOAT32 ? x
        : x.add(x.getManager().zeros(new Shape(1), DataType.FLOAT32));
  }

  /**
   * {@code x} cast to {@code type} through a cast autograd differentiates: a cumulative product
   * over a new unit axis with an output type is the cast itself, and its backward hands the
   * gradient back in {@code x}'s type (DJL's {@code toType} runs without autograd).
   */
  private static NDArray cast(NDArray x, DataType type) {
    int axis = x.getShape().dimension();
    return x.expandDims(axis).cumProd(axis, type).squeeze(axis);
  }

  /** {@code in} as it is when its arrays share one type, else all in fp32. */
  private static NDList sameType(NDList in) {
    for (NDArray x : in) {
      if (x.getDataType() != in.head().getDataType()) {
        NDList out = new NDList();
        for (NDArray y : in) {
          out.add(fp32(y));
        }
        return out;
      }
    }
    return in;
  }

  /**
   * What one forward needs besides its input: the weights, the parameters that take a
   * gradient by offset (null: none do), running statistics, mode and the autocast type of
   * convolutions and linear layers (null: fp32).
   */
  private record Ctx(NDArray flat, Map<Long, NDArray> leaves, List<NDArray> running,
      boolean training, DataType low) {
    NDArray param(long offset, long... shape) {
      long n = 1;
      for (long s : shape) {
        n *= s;
      }
      if (leaves != null && leaves.containsKey(offset)) {
        return leaves.get(offset).reshape(shape);
      }
      NDArray p = flat.get(new NDIndex(offset + ":" + (offset + n))).reshape(shape);
      if (leaves != null) {
        p.setRequiresGradient(true);
        leaves.put(offset, p);
      }
      return p;
    }

    /** {@code x} in the autocast type of convolutions and linear layers. */
    NDArray lowered(NDArray x) {
      return low == null || x.getDataType() == low ? x : cast(x, low);
    }
  }

  /** One layer or container, as a function of its input list. */
  private interface Op {
    NDList apply(NDList in, Ctx ctx);
  }

  private static long offset(Tensor<Object> part, Tensor<Object> flat) {
    if (Bigdl.floats(part) != Bigdl.floats(flat)) {
      throw new IllegalStateException("a parameter is not part of the flat vector");
    }
    return part.storageOffset() - flat.storageOffset();
  }

  @SuppressWarnings("unchecked")
  private static Op compile(AbstractModule<Activity, Activity, Object> m, Tensor<Object> flat,
      List<Tensor<Object>> stats) {
    Object o = m;
    if (o instanceof Sequential<?> s) {
      List<Op> ops = children(s.modules(), flat, stats);
      return (in, ctx) -> {
        NDList x = in;
        for (Op op : ops) {
          x = op.apply(x, ctx);
        }
        return x;
      };
    }
    if (o instanceof ConcatTable<?> c) {
      List<Op> ops = children(c.modules(), flat, stats);
      return (in, ctx) -> {
        NDList out = new NDList();
        for (Op op : ops) {
          out.add(op.apply(in, ctx).singletonOrThrow());
        }
        return out;
      };
    }
    if (o instanceof CAddTable<?, ?>) {
      return (in, ctx) -> {
        NDArray sum = in.get(0);
        for (int i = 1; i < in.size(); i++) {
          NDArray next = in.get(i);
          // mixed types add in fp32, as PyTorch's type promotion
          if (next.getDataType() != sum.getDataType()) {
            sum = fp32(sum);
            next = fp32(next);
          }
          sum = sum.add(next);
        }
        return new NDList(sum);
      };
    }
    if (o instanceof SpatialConvolution<?> c) {
      if (c.nGroup() != 1 || c.withBias()) {
        throw new IllegalArgumentException("layer " + m.getName() + ": the torch engine "
            + "computes convolutions without groups or bias only");
      }
      long w = offset((Tensor<Object>) c.weight(), flat);
      long[] shape = {c.nOutputPlane(), c.nInputPlane(), c.kernelH(), c.kernelW()};
      Shape stride = new Shape(c.strideH(), c.strideW());
      Shape pad = new Shape(c.padH(), c.padW());
      return (in, ctx) -> {
        NDArray x = ctx.lowered(in.head());
        return x.getNDArrayInternal().convolution(x, ctx.lowered(ctx.param(w, shape)), null,
            stride, pad, new Shape(1, 1), 1);
      };
    }
    if (o instanceof BatchNormalization<?> bn) {
      long w = offset((Tensor<Object>) bn.weight(), flat);
      long b = offset((Tensor<Object>) bn.bias(), flat);
      long n = bn.nOutput();
      int mean = stats.size();
      stats.add((Tensor<Object>) bn.runningMean());
      stats.add((Tensor<Object>) bn.runningVar());
      float eps = (float) bn.eps();
      // DJL's momentum is the running statistics' weight; BigDL's and PyTorch's the batch's
      float momentum = 1f - (float) bn.momentum();
      return (in, ctx) -> {
        NDArray x = fp32(in.head());
        return x.getNDArrayInternal().batchNorm(x, ctx.running().get(mean),
            ctx.running().get(mean + 1), ctx.param(w, n), ctx.param(b, n), 1, momentum, eps,
            ctx.training());
      };
    }
    if (o instanceof ReLU<?>) {
      return (in, ctx) -> new NDList(in.head().getNDArrayInternal().relu());
    }
    if (o instanceof SpatialMaxPooling<?> p) {
      Shape k = new Shape(p.kH(), p.kW());
      Shape s = new Shape(p.dH(), p.dW());
      Shape pad = new Shape(p.padH(), p.padW());
      boolean ceil = p.ceilMode();
      return (in, ctx) -> new NDList(in.head().getNDArrayInternal().maxPool(k, s, pad, ceil));
    }
    if (o instanceof SpatialAveragePooling<?> p) {
      if (p.padW() != 0 || p.padH() != 0) {
        throw new IllegalArgumentException("layer " + m.getName() + ": the torch engine "
            + "computes average pooling without padding only");
      }
      Shape k = new Shape(p.kH(), p.kW());
      Shape s = new Shape(p.dH(), p.dW());
      boolean ceil = p.ceilMode();
      boolean global = p.globalPooling();
      return (in, ctx) -> new NDList(global
          ? in.head().mean(new int[] {2, 3}, true)
          : in.head().getNDArrayInternal().avgPool(k, s, new Shape(0, 0), ceil, true));
    }
    if (o instanceof View<?>) {
      return (in, ctx) -> new NDList(in.head().reshape(in.head().getShape().get(0), -1));
    }
    if (o instanceof Linear<?> l) {
      long w = offset((Tensor<Object>) l.weight(), flat);
      boolean bias = l.withBias();
      long b = bias ? offset((Tensor<Object>) l.bias(), flat) : -1;
      long out = l.outputSize();
      long inSize = l.inputSize();
      return (in, ctx) -> {
        NDArray x = ctx.lowered(in.head());
        return x.getNDArrayInternal().linear(x, ctx.lowered(ctx.param(w, out, inSize)),
            bias ? ctx.lowered(ctx.param(b, out)) : null);
      };
    }
    if (o instanceof Normalize<?> nz) {
      if (nz.p() != 2.0) {
        throw new IllegalArgumentException("layer " + m.getName() + ": the torch engine "
            + "computes the L2 normalisation only");
      }
      float eps = (float) nz.eps();
      // BigDL's Normalize: x / sqrt(sum(x^2) + eps)
      return (in, ctx) -> {
        NDArray x = fp32(in.head());
        return new NDList(x.div(x.square().sum(new int[] {1}, true).add(eps).sqrt()));
      };
    }
    if (o instanceof JoinTable<?> j) {
      if (j.dimension() < 1) {
        throw new IllegalArgumentException("layer " + m.getName() + ": the torch engine joins "
            + "along a positive dimension only");
      }
      int dim = j.dimension();
      int nInputDims = j.nInputDims();
      // BigDL's dimension is 1-based; with nInputDims it skips a leading batch dimension
      return (in, ctx) -> new NDList(NDArrays.concat(sameType(in), dim - 1
          + (nInputDims > 0 && in.head().getShape().dimension() == nInputDims + 1 ? 1 : 0)));
    }
    if (o instanceof Identity<?>) {
      return (in, ctx) -> in;
    }
    throw new IllegalArgumentException("layer " + m.getName() + " ("
        + m.getClass().getSimpleName() + ") has no torch-engine counterpart");
  }

  @SuppressWarnings("unchecked")
  private static List<Op> children(scala.collection.mutable.ArrayBuffer<?> modules,
      Tensor<Object> flat, List<Tensor<Object>> stats) {
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < modules.length(); i++) {
      ops.add(compile((AbstractModule<Activity, Activity, Object>) modules.apply(i), flat,
          stats));
    }
    return ops;
  }
}
