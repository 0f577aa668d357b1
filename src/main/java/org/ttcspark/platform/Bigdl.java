package org.ttcspark.platform;

import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.tensor.Tensor$;
import com.intel.analytics.bigdl.tensor.TensorNumericMath;
import com.intel.analytics.bigdl.tensor.TensorNumericMath$TensorNumeric$NumericFloat$;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.utils.intermediate.ConversionUtils$;
import java.util.List;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The one place that speaks BigDL's Scala API from Java: the implicit {@code ClassTag} and
 * {@code TensorNumeric} arguments, companion objects ({@code X$.MODULE$}) and the erasure of
 * {@code Tensor[Float]} to {@code Tensor<Object>}. Everything here is for float32 tensors, the
 * only element type ttc-spark trains with.
 */
public final class Bigdl {
  /** {@code ClassTag[Float]}: BigDL's implicit element tag. */
  public static final ClassTag<Object> FLOAT = floatTag();

  /** {@code TensorNumeric[Float]}: BigDL's implicit arithmetic for float tensors. */
  public static final TensorNumericMath.TensorNumeric<Object> NUMERIC = floatNumeric();

  private Bigdl() {}

  /**
   * A tensor that copies {@code data} (row-major) into the given shape.
   *
   * @throws IllegalArgumentException if the shape's element count differs from data.length
   */
  public static Tensor<Object> tensor(float[] data, int... shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("tensor shape " + java.util.Arrays.toString(shape)
          + " holds " + n + " values but " + data.length + " were given");
    }
    Tensor<Object> t = Tensor$.MODULE$.apply(shape, FLOAT, NUMERIC);
    System.arraycopy(data, 0, floats(t), t.storageOffset() - 1, data.length);
    return t;
  }

  /** A zero tensor of the given shape. */
  public static Tensor<Object> zeros(int... shape) {
    return Tensor$.MODULE$.apply(shape, FLOAT, NUMERIC);
  }

  /**
   * The backing array of a float tensor's storage (not a copy; mind {@code storageOffset()},
   * which is 1-based).
   */
  public static float[] floats(Tensor<Object> tensor) {
    return (float[]) tensor.storage().array();
  }

  /** The tensor's values in row-major order, as a new array. */
  public static float[] toArray(Tensor<Object> tensor) {
    Tensor<Object> c = tensor.isContiguous() ? tensor : tensor.contiguous();
    float[] out = new float[(int) c.nElement()];
    System.arraycopy(floats(c), c.storageOffset() - 1, out, 0, out.length);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static ClassTag<Object> floatTag() {
    return (ClassTag<Object>) (ClassTag<?>) ClassTag$.MODULE$.Float();
  }

  @SuppressWarnings("unchecked")
  private static TensorNumericMath.TensorNumeric<Object> floatNumeric() {
    return (TensorNumericMath.TensorNumeric<Object>) (Object)
        TensorNumericMath$TensorNumeric$NumericFloat$.MODULE$;
  }

  /** A Scala {@code Seq} of the given values, for BigDL methods that take one. */
  @SafeVarargs
  public static <A> Seq<A> seq(A... values) {
    return JavaConverters.asScalaBufferConverter(List.of(values)).asScala().toSeq();
  }

  /**
   * The MKL-DNN form of a model built from ordinary BigDL layers: its static graph with the
   * given input and output memory formats ({@code Memory.Format.nchw}, {@code .nc}, ...),
   * converted to an IRGraph. This is the route that runs BigDL's ResNets on MKL-DNN; the
   * engine type must be mkldnn when it is called.
   */
  @SuppressWarnings("unchecked")
  public static AbstractModule<Activity, Activity, Object> toMklDnn(
      AbstractModule<Activity, Activity, Object> model, int inputFormat, int outputFormat) {
    AbstractModule<Activity, Activity, Object> graph =
        (AbstractModule<Activity, Activity, Object>) (Object) model.toGraph(seq());
    graph.setInputFormats(seq((Object) inputFormat));
    graph.setOutputFormats(seq((Object) outputFormat));
    return (AbstractModule<Activity, Activity, Object>)
        ConversionUtils$.MODULE$.convert(graph, FLOAT);
  }
}
