package org.ttcspark.model.torch;

import com.intel.analytics.bigdl.nn.BatchNormalization;
import com.intel.analytics.bigdl.nn.CAddTable;
import com.intel.analytics.bigdl.nn.ConcatTable;
import com.intel.analytics.bigdl.nn.Identity;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttcspark.platform.Bigdl;

/**
 * A BigDL encoder or classifier as one TorchScript class: every parameter and BatchNorm
 * running statistic a flat attribute (its state-dict name with {@code _} for {@code .}), and
 * straight-line TorchScript source calling the aten operators, read off the BigDL module tree
 * in the order {@link TorchEncoder} computes it. One class rather than torchvision's module
 * tree: TorchScript then needs no submodule types (one per distinct block shape), and the
 * source says exactly what BigDL computes (its L2 normalisation, its pooling) in a few lines a
 * reader can check. The model's first child (the backbone) becomes the method
 * {@code features}; {@code forward} runs the rest on its output.
 */
final class TorchScriptModule {
  /** The class's qualified name; its source is {@code code/__torch__/ttcspark.py}. */
  static final String QUALIFIER = "__torch__.ttcspark";
  static final String CLASS = "Encoder";

  /** One attribute: a parameter (trainable in PyTorch) or a buffer (running statistics). */
  record Attribute(StateDict.Entry value, boolean parameter) {}

  private final Map<String, Attribute> attributes = new LinkedHashMap<>();
  private String features;
  private String forward;
  private StringBuilder body;
  private int next;

  private TorchScriptModule() {}

  /** Attributes in declaration order. */
  Map<String, Attribute> attributes() {
    return attributes;
  }

  /**
   * The class of {@code model}, a Sequential whose first child is the backbone.
   *
   * @throws IllegalArgumentException for a model or layer TorchScript export does not take
   */
  static TorchScriptModule of(AbstractModule<Activity, Activity, Object> model) {
    Object o = model;
    if (!(o instanceof Sequential<?> root) || root.modules().length() < 2) {
      throw new IllegalArgumentException("model " + model.getName() + " is not an encoder or "
          + "classifier built by ttc-spark (a Sequential of backbone, head...): TorchScript "
          + "export takes those only");
    }
    TorchScriptModule m = new TorchScriptModule();
    m.features = m.method("features", null, List.of(child(root, 0)));
    List<AbstractModule<Activity, Activity, Object>> rest = new ArrayList<>();
    for (int i = 1; i < root.modules().length(); i++) {
      rest.add(child(root, i));
    }
    m.forward = m.method("forward", "self.features(x)", rest);
    return m;
  }

  /** The source of {@code code/__torch__/ttcspark.py}. */
  String source() {
    StringBuilder s = new StringBuilder();
    s.append("class ").append(CLASS).append("(Module):\n");
    s.append("  __parameters__ = [");
    attributes.forEach((k, a) -> s.append(a.parameter() ? "\"" + k + "\", " : ""));
    s.append("]\n  __buffers__ = [");
    attributes.forEach((k, a) -> s.append(a.parameter() ? "" : "\"" + k + "\", "));
    s.append("]\n");
    attributes.keySet().forEach(k -> s.append("  ").append(k).append(" : Tensor\n"));
    s.append("  training : bool\n");
    s.append(forward).append(features);
    return s.toString();
  }

  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> child(Sequential<?> s, int i) {
    return (AbstractModule<Activity, Activity, Object>) s.modules().apply(i);
  }

  /** A method of {@code x}: {@code first} (if not null), then {@code layers} on its value. */
  private String method(String name, String first,
      List<AbstractModule<Activity, Activity, Object>> layers) {
    body = new StringBuilder();
    next = 0;
    body.append("  def ").append(name).append("(self: ").append(QUALIFIER).append('.')
        .append(CLASS).append(",\n    x: Tensor) -> Tensor:\n");
    List<String> x = List.of(first == null ? "x" : let(first));
    for (AbstractModule<Activity, Activity, Object> l : layers) {
      x = emit(l, x);
    }
    body.append("    return ").append(single(x, "the model's output")).append('\n');
    return body.toString();
  }

  /** Binds {@code expr} to a fresh local and returns its name. */
  private String let(String expr) {
    String v = "x" + next++;
    body.append("    ").append(v).append(" = ").append(expr).append('\n');
    return v;
  }

  private static String single(List<String> values, String what) {
    if (values.size() != 1) {
      throw new IllegalArgumentException(what + " is a table of " + values.size()
          + " tensors: TorchScript export takes single-tensor layers there");
    }
    return values.get(0);
  }

  /** Adds {@code t} as attribute {@code <layer>_<field>} and returns the expression for it. */
  @SuppressWarnings("unchecked")
  private String attr(String layer, String field, Tensor<?> t, boolean parameter,
      long... shape) {
    String key = StateDict.torchName(layer).replace('.', '_') + "_" + field;
    float[] v = Bigdl.toArray((Tensor<Object>) t);
    if (attributes.put(key, new Attribute(new StateDict.Entry(shape, v, null), parameter))
        != null) {
      throw new IllegalArgumentException("two layers are named " + layer + ": TorchScript "
          + "export needs unique layer names");
    }
    return "self." + key;
  }

  private static String ints(long... v) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      s.append(i > 0 ? ", " : "").append(v[i]);
    }
    return s.append(']').toString();
  }

  private static String number(double v) {
    return Double.toString(v).replace('E', 'e');
  }

  private static String bool(boolean v) {
    return v ? "True" : "False";
  }

  @SuppressWarnings("unchecked")
  private List<String> emit(AbstractModule<Activity, Activity, Object> m, List<String> in) {
    Object o = m;
    String name = m.getName();
    if (o instanceof Sequential<?> s) {
      List<String> x = in;
      for (int i = 0; i < s.modules().length(); i++) {
        x = emit(child(s, i), x);
      }
      return x;
    }
    if (o instanceof ConcatTable<?> c) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < c.modules().length(); i++) {
        out.add(single(emit((AbstractModule<Activity, Activity, Object>) c.modules().apply(i),
            in), "branch " + i + " of " + name));
      }
      return out;
    }
    if (o instanceof CAddTable<?, ?>) {
      String sum = in.get(0);
      for (int i = 1; i < in.size(); i++) {
        sum = "torch.add(" + sum + ", " + in.get(i) + ")";
      }
      return List.of(let(sum));
    }
    String x = single(in, "the input of layer " + name);
    if (o instanceof SpatialConvolution<?> c) {
      if (c.padH() < 0 || c.padW() < 0) {
        throw new IllegalArgumentException("layer " + name + ": TorchScript export takes "
            + "explicit convolution padding only");
      }
      String w = attr(name, "weight", c.weight(), true, c.nOutputPlane(),
          c.nInputPlane() / c.nGroup(), c.kernelH(), c.kernelW());
      String b = c.withBias() ? attr(name, "bias", c.bias(), true, c.nOutputPlane()) : "None";
      return List.of(let("torch.conv2d(" + x + ", " + w + ", " + b + ", "
          + ints(c.strideH(), c.strideW()) + ", " + ints(c.padH(), c.padW()) + ", [1, 1], "
          + c.nGroup() + ")"));
    }
    if (o instanceof BatchNormalization<?> bn) {
      long n = bn.nOutput();
      String w = bn.weight() == null ? "None" : attr(name, "weight", bn.weight(), true, n);
      String b = bn.bias() == null ? "None" : attr(name, "bias", bn.bias(), true, n);
      String mean = attr(name, "running_mean", bn.runningMean(), false, n);
      String var = attr(name, "running_var", bn.runningVar(), false, n);
      return List.of(let("torch.batch_norm(" + x + ", " + w + ", " + b + ", " + mean + ", "
          + var + ", self.training, " + number(bn.momentum()) + ", " + number(bn.eps())
          + ", True)"));
    }
    if (o instanceof ReLU<?>) {
      return List.of(let("torch.relu(" + x + ")"));
    }
    if (o instanceof SpatialMaxPooling<?> p) {
      if (p.padH() < 0 || p.padW() < 0) {
        throw new IllegalArgumentException("layer " + name + ": TorchScript export takes "
            + "explicit pooling padding only");
      }
      return List.of(let("torch.max_pool2d(" + x + ", " + ints(p.kH(), p.kW()) + ", "
          + ints(p.dH(), p.dW()) + ", " + ints(p.padH(), p.padW()) + ", [1, 1], "
          + bool(p.ceilMode()) + ")"));
    }
    if (o instanceof SpatialAveragePooling<?> p) {
      if (p.globalPooling()) {
        return List.of(let("torch.mean(" + x + ", [2, 3], True)"));
      }
      if (p.padW() != 0 || p.padH() != 0) {
        throw new IllegalArgumentException("layer " + name + ": TorchScript export takes "
            + "average pooling without padding only");
      }
      return List.of(let("torch.avg_pool2d(" + x + ", " + ints(p.kH(), p.kW()) + ", "
          + ints(p.dH(), p.dW()) + ", [0, 0], " + bool(p.ceilMode()) + ", True)"));
    }
    if (o instanceof View<?>) {
      return List.of(let("torch.flatten(" + x + ", 1)"));
    }
    if (o instanceof Linear<?> l) {
      String w = attr(name, "weight", l.weight(), true, l.outputSize(), l.inputSize());
      String b = l.withBias() ? attr(name, "bias", l.bias(), true, l.outputSize()) : "None";
      return List.of(let("torch.linear(" + x + ", " + w + ", " + b + ")"));
    }
    if (o instanceof Normalize<?> nz) {
      if (nz.p() != 2.0) {
        throw new IllegalArgumentException("layer " + name + ": TorchScript export takes the "
            + "L2 normalisation only");
      }
      // BigDL's Normalize: x / sqrt(sum(x^2) + eps), row-wise
      return List.of(let("torch.div(" + x + ", torch.sqrt(torch.add(torch.sum(torch.mul("
          + x + ", " + x + "), [1], True), " + number(nz.eps()) + ")))"));
    }
    if (o instanceof Identity<?>) {
      return in;
    }
    throw new IllegalArgumentException("layer " + name + " (" + m.getClass().getSimpleName()
        + ") has no TorchScript counterpart: export takes the encoders and classifiers "
        + "ttc-spark builds");
  }
}
