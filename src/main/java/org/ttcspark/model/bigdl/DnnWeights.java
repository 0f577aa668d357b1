package org.ttcspark.model.bigdl;

import com.intel.analytics.bigdl.nn.Container;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.intermediate.IRGraph;
import java.util.ArrayList;
import java.util.List;
import scala.Option;

/**
 * Copies the weights and BatchNorm running statistics of an MKL-DNN model (an IRGraph made by
 * {@link org.ttcspark.platform.Bigdl#toMklDnn}) back into the plain BigDL model it was converted
 * from, layer by layer, matched by name. The plain model is what checkpoints store (BigDL's
 * module serialiser does not handle IRGraph); MKL-DNN keeps BatchNorm's weight and bias in one
 * {@code [2C]} tensor, which maps onto the plain layer's weight then bias.
 */
public final class DnnWeights {
  private DnnWeights() {}

  /**
   * Overwrites every parameterised layer of {@code plain} with the same-named layer of
   * {@code dnn}. If {@code dnn} is not an IRGraph (MklBlas mode) and is {@code plain} itself,
   * nothing is done.
   *
   * @throws IllegalStateException if a layer is missing or its parameter count differs
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void copyInto(AbstractModule<Activity, Activity, Object> dnn,
      AbstractModule<Activity, Activity, Object> plain) {
    if (dnn == plain) {
      return;
    }
    for (AbstractModule<Activity, Activity, Object> layer : leaves(plain)) {
      Tensor<Object>[] extra = layer.getExtraParameter();
      boolean hasExtra = extra != null && extra.length > 0;
      if (layer.parameters() == null && !hasExtra) {
        continue; // stateless (ReLU, pooling, the reshape MKL-DNN folds into Linear)
      }
      Option<AbstractModule<Activity, Activity, Object>> match = find(dnn, layer.getName());
      if (match.isEmpty()) {
        throw new IllegalStateException("layer " + layer.getName() + " of the plain model is "
            + "not in the MKL-DNN model: the two models differ");
      }
      AbstractModule<Activity, Activity, Object> from = match.get();
      if (layer.parameters() != null) {
        fill(layer.getName(), from.parameters()._1(), layer.parameters()._1());
      }
      if (hasExtra) {
        fill(layer.getName(), from.getExtraParameter(), extra);
      }
    }
  }

  /**
   * The layer named {@code name} in a module tree whose parts may be IRGraphs (a BLAS
   * container around an MKL-DNN backbone, as BCL and PaCo train).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Option<AbstractModule<Activity, Activity, Object>> find(
      AbstractModule<Activity, Activity, Object> module, String name) {
    if (module instanceof IRGraph<?> ir) {
      return ((AbstractModule<Activity, Activity, Object>) (AbstractModule) ((IRGraph) ir)
          .graph()).apply(name);
    }
    if (name.equals(module.getName())) {
      return Option.apply(module);
    }
    if (module instanceof Container<?, ?, ?> c) {
      scala.collection.Iterator<?> it = c.modules().iterator();
      while (it.hasNext()) {
        Option<AbstractModule<Activity, Activity, Object>> found =
            find((AbstractModule<Activity, Activity, Object>) it.next(), name);
        if (found.isDefined()) {
          return found;
        }
      }
    }
    return Option.empty();
  }

  /** Leaf layers of a module tree (containers' children, recursively). */
  @SuppressWarnings("unchecked")
  static List<AbstractModule<Activity, Activity, Object>> leaves(
      AbstractModule<Activity, Activity, Object> module) {
    List<AbstractModule<Activity, Activity, Object>> out = new ArrayList<>();
    if (module instanceof Container<?, ?, ?> c) {
      scala.collection.Iterator<?> it = c.modules().iterator();
      while (it.hasNext()) {
        out.addAll(leaves((AbstractModule<Activity, Activity, Object>) it.next()));
      }
    } else {
      out.add(module);
    }
    return out;
  }

  /** Copies the concatenation of {@code from} into the concatenation of {@code to}. */
  private static void fill(String layer, Tensor<Object>[] from, Tensor<Object>[] to) {
    long nFrom = 0;
    long nTo = 0;
    for (Tensor<Object> t : from) {
      nFrom += t.nElement();
    }
    for (Tensor<Object> t : to) {
      nTo += t.nElement();
    }
    if (nFrom != nTo) {
      throw new IllegalStateException("layer " + layer + " holds " + nTo + " values in the plain "
          + "model but " + nFrom + " in the MKL-DNN model");
    }
    float[] flat = new float[(int) nFrom];
    int pos = 0;
    for (Tensor<Object> t : from) {
      float[] v = org.ttcspark.platform.Bigdl.toArray(t);
      System.arraycopy(v, 0, flat, pos, v.length);
      pos += v.length;
    }
    pos = 0;
    for (Tensor<Object> t : to) {
      int n = (int) t.nElement();
      float[] part = new float[n];
      System.arraycopy(flat, pos, part, 0, n);
      t.copy(org.ttcspark.platform.Bigdl.tensor(part, sizes(t)));
      pos += n;
    }
  }

  private static int[] sizes(Tensor<Object> t) {
    return t.size();
  }
}
