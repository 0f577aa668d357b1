package org.ttcspark.model.bigdl;

import com.intel.analytics.bigdl.nn.CAddTable$;
import com.intel.analytics.bigdl.nn.ConcatTable$;
import com.intel.analytics.bigdl.nn.Identity$;
import com.intel.analytics.bigdl.nn.Linear$;
import com.intel.analytics.bigdl.nn.MsraFiller;
import com.intel.analytics.bigdl.nn.Ones$;
import com.intel.analytics.bigdl.nn.Normalize$;
import com.intel.analytics.bigdl.nn.ReLU$;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.Sequential$;
import com.intel.analytics.bigdl.nn.SpatialAveragePooling$;
import com.intel.analytics.bigdl.nn.SpatialBatchNormalization;
import com.intel.analytics.bigdl.nn.SpatialBatchNormalization$;
import com.intel.analytics.bigdl.nn.SpatialConvolution;
import com.intel.analytics.bigdl.nn.SpatialConvolution$;
import com.intel.analytics.bigdl.nn.SpatialMaxPooling$;
import com.intel.analytics.bigdl.nn.View$;
import com.intel.analytics.bigdl.nn.Zeros$;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.nn.abstractnn.DataFormat;
import com.intel.analytics.bigdl.nn.abstractnn.DataFormat$NCHW$;
import org.ttcspark.platform.Bigdl;

/**
 * BigDL layer factories with the Scala default arguments spelled out once, float32 and NCHW.
 * Every layer is one that BigDL's IRGraph converts to MKL-DNN, except {@link #l2Normalize}.
 */
public final class Layers {
  /** A BigDL float module with untyped input and output. */
  private static final DataFormat NCHW = DataFormat$NCHW$.MODULE$;

  private Layers() {}

  /** A BigDL float module typed as {@code Activity -> Activity}, as containers take them. */
  @SuppressWarnings("unchecked")
  public static AbstractModule<Activity, Activity, Object> any(Object m) {
    return (AbstractModule<Activity, Activity, Object>) m;
  }

  @SuppressWarnings("unchecked")
  static scala.reflect.ClassTag<Activity> activityTag() {
    return (scala.reflect.ClassTag<Activity>) (Object) scala.reflect.ClassTag$.MODULE$.apply(
        Activity.class);
  }

  /** An empty {@code Sequential} with the given name. */
  public static Sequential<Object> sequential(String name) {
    Sequential<Object> s = Sequential$.MODULE$.apply(Bigdl.FLOAT, Bigdl.NUMERIC);
    s.setName(name);
    return s;
  }

  /** Convolution without bias (BatchNorm follows), square kernel, stride and padding. */
  public static AbstractModule<Activity, Activity, Object> conv(String name, int in, int out,
      int kernel, int stride, int pad) {
    SpatialConvolution<Object> c = SpatialConvolution$.MODULE$.apply(in, out, kernel, kernel,
        stride, stride, pad, pad, 1, true, null, null, null, null, null, null, false, NCHW,
        Bigdl.FLOAT, Bigdl.NUMERIC);
    c.setInitMethod(new MsraFiller(true), Zeros$.MODULE$);
    return any(c.setName(name));
  }

  /** BatchNorm over channels, eps 1e-5, momentum 0.1, affine; weight 1 and bias 0. */
  public static AbstractModule<Activity, Activity, Object> batchNorm(String name, int channels) {
    SpatialBatchNormalization<Object> bn = SpatialBatchNormalization$.MODULE$.apply(channels,
        1e-5, 0.1, true, null, null, null, null, NCHW, Bigdl.FLOAT, Bigdl.NUMERIC);
    bn.setInitMethod(Ones$.MODULE$, Zeros$.MODULE$);
    return any(bn.setName(name));
  }

  /** In-place ReLU. */
  public static AbstractModule<Activity, Activity, Object> relu(String name) {
    return any(ReLU$.MODULE$.apply(true, Bigdl.FLOAT, Bigdl.NUMERIC).setName(name));
  }

  /** 3×3 max-pool with stride 2 and padding 1. */
  public static AbstractModule<Activity, Activity, Object> maxPool(String name) {
    return any(SpatialMaxPooling$.MODULE$.apply(3, 3, 2, 2, 1, 1, NCHW, Bigdl.FLOAT,
        Bigdl.NUMERIC).setName(name));
  }

  /** Average over a {@code side × side} map: global average pooling for that input side. */
  public static AbstractModule<Activity, Activity, Object> globalAvgPool(String name, int side) {
    return any(SpatialAveragePooling$.MODULE$.apply(side, side, 1, 1, 0, 0, false, false, true,
        true, NCHW, Bigdl.FLOAT, Bigdl.NUMERIC).setName(name));
  }

  /** Reshape [batch, features, 1, 1] to [batch, features]. */
  public static AbstractModule<Activity, Activity, Object> flatten(String name, int features) {
    return any(View$.MODULE$.apply(new int[] {features}, Bigdl.FLOAT, Bigdl.NUMERIC)
        .setNumInputDims(3).setName(name));
  }

  /** Fully connected layer with bias. */
  public static AbstractModule<Activity, Activity, Object> linear(String name, int in, int out) {
    return any(Linear$.MODULE$.apply(in, out, true, null, null, null, null, null, null,
        Bigdl.FLOAT, Bigdl.NUMERIC).setName(name));
  }

  /** Row-wise L2 normalisation (eps 1e-10): no MKL-DNN kernel, runs as a BLAS layer. */
  public static AbstractModule<Activity, Activity, Object> l2Normalize(String name) {
    return any(Normalize$.MODULE$.apply(2.0, 1e-10, Bigdl.FLOAT, Bigdl.NUMERIC).setName(name));
  }

  /** Identity (the residual shortcut when shapes agree). */
  public static AbstractModule<Activity, Activity, Object> identity(String name) {
    return any(Identity$.MODULE$.apply(Bigdl.FLOAT, Bigdl.NUMERIC).setName(name));
  }

  /** A residual unit: {@code relu(main(x) + shortcut(x))}. */
  public static Sequential<Object> residual(String name,
      AbstractModule<Activity, Activity, Object> main,
      AbstractModule<Activity, Activity, Object> shortcut) {
    Sequential<Object> unit = sequential(name);
    AbstractModule<Activity, Activity, Object> branches =
        any(ConcatTable$.MODULE$.apply(activityTag(), Bigdl.FLOAT, Bigdl.NUMERIC)
            .setName(name + ".branches"));
    add(branches, main);
    add(branches, shortcut);
    add(unit, branches);
    add(unit, any(CAddTable$.MODULE$.apply(true, Bigdl.FLOAT, Bigdl.NUMERIC)
        .setName(name + ".add")));
    add(unit, relu(name + ".relu"));
    return unit;
  }

  /** Appends {@code child} to a container (Sequential or ConcatTable). */
  public static void add(Object container, AbstractModule<Activity, Activity, Object> child) {
    if (container instanceof Sequential<?> s) {
      ((Sequential<Object>) s).add(child);
    } else {
      ((com.intel.analytics.bigdl.nn.ConcatTable<Object>) container).add(child);
    }
  }
}
