package org.ttcspark.model.torch;

import com.intel.analytics.bigdl.nn.BatchNormalization;
import com.intel.analytics.bigdl.nn.Container;
import com.intel.analytics.bigdl.nn.Linear;
import com.intel.analytics.bigdl.nn.SpatialConvolution;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ttcspark.platform.Bigdl;

/**
 * A BigDL encoder's weights under torchvision's names, for a PyTorch user: the backbone's keys
 * are those of {@code torchvision.models.resnet18/50} ({@code conv1}, {@code bn1},
 * {@code layer1.0.conv1}, {@code layer2.0.downsample.0}, ...) prefixed {@code backbone.}, the
 * projection head's those of {@code nn.Sequential(Linear, ReLU, Linear)} prefixed {@code head.}
 * ({@code head.0}, {@code head.2}); a classifier's last layer is {@code backbone.fc} (a
 * fine-tuned MLP head's {@code backbone.fc.0} and {@code backbone.fc.2}). BatchNorm
 * layers carry their running statistics and {@code num_batches_tracked} (0), as PyTorch's do.
 */
public final class StateDict {
  private StateDict() {}

  /** One tensor: float values or, for {@code num_batches_tracked}, one int64. */
  public record Entry(long[] shape, float[] floats, long[] longs) {}

  /** The model's tensors in module order under torchvision's names. */
  public static Map<String, Entry> of(AbstractModule<Activity, Activity, Object> model) {
    Map<String, Entry> out = new LinkedHashMap<>();
    walk(model, out);
    return out;
  }

  /** The torchvision name of a BigDL layer name given by {@code ResNetBuilder} / Encoders. */
  static String torchName(String name) {
    if (name.equals("stem.conv")) {
      return "backbone.conv1";
    }
    if (name.equals("stem.bn")) {
      return "backbone.bn1";
    }
    if (name.equals("head.fc1")) {
      return "head.0";
    }
    if (name.equals("head.fc2")) {
      return "head.2";
    }
    if (name.equals("classifier.fc")) {
      return "backbone.fc";
    }
    if (name.startsWith("classifier.fc.")) {
      // a fine-tuned MLP head: torchvision's fc = Sequential(Linear, ReLU, Linear)
      return "backbone." + name.substring("classifier.".length());
    }
    if (name.equals("classifier.standardize")) {
      return "standardize";
    }
    if (name.startsWith("layer")) {
      return "backbone." + name.replace(".shortcut.conv", ".downsample.0")
          .replace(".shortcut.bn", ".downsample.1");
    }
    throw new IllegalArgumentException("layer " + name + " has no torchvision name: export "
        + "takes the encoders and classifiers ttc-spark builds");
  }

  @SuppressWarnings("unchecked")
  private static void walk(AbstractModule<Activity, Activity, Object> m, Map<String, Entry> out) {
    Object o = m;
    if (o instanceof Container<?, ?, ?> c) {
      for (int i = 0; i < c.modules().length(); i++) {
        walk((AbstractModule<Activity, Activity, Object>) c.modules().apply(i), out);
      }
      return;
    }
    if (o instanceof SpatialConvolution<?> conv) {
      String n = torchName(m.getName());
      put(out, n + ".weight", (Tensor<Object>) conv.weight(), conv.nOutputPlane(),
          conv.nInputPlane() / conv.nGroup(), conv.kernelH(), conv.kernelW());
      if (conv.withBias()) {
        put(out, n + ".bias", (Tensor<Object>) conv.bias(), conv.nOutputPlane());
      }
    } else if (o instanceof BatchNormalization<?> bn) {
      String n = torchName(m.getName());
      put(out, n + ".weight", (Tensor<Object>) bn.weight(), bn.nOutput());
      put(out, n + ".bias", (Tensor<Object>) bn.bias(), bn.nOutput());
      put(out, n + ".running_mean", (Tensor<Object>) bn.runningMean(), bn.nOutput());
      put(out, n + ".running_var", (Tensor<Object>) bn.runningVar(), bn.nOutput());
      out.put(n + ".num_batches_tracked", new Entry(new long[0], null, new long[] {0}));
    } else if (o instanceof Linear<?> l) {
      String n = torchName(m.getName());
      put(out, n + ".weight", (Tensor<Object>) l.weight(), l.outputSize(), l.inputSize());
      if (l.withBias()) {
        put(out, n + ".bias", (Tensor<Object>) l.bias(), l.outputSize());
      }
    }
  }

  private static void put(Map<String, Entry> out, String key, Tensor<Object> t, long... shape) {
    out.put(key, new Entry(shape, Bigdl.toArray(t), null));
  }
}
