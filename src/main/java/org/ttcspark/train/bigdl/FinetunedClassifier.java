package org.ttcspark.train.bigdl;

import com.fasterxml.jackson.databind.JsonNode;
import com.intel.analytics.bigdl.nn.Dropout;
import com.intel.analytics.bigdl.nn.Linear;
import com.intel.analytics.bigdl.nn.Normalize;
import com.intel.analytics.bigdl.nn.ReLU;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.View;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;

/**
 * A fine-tuned classifier ({@code ttc finetune}) as one plain model for export: the backbone,
 * then the head, in evaluation mode, with outputs the two class logits. A finetune checkpoint
 * alone is not that model: a frozen finetune saves its head only (the backbone is the pretrain
 * checkpoint's) and its head saw every feature standardised ({@code feature-standardization
 * .json} in the finetune folder). Here the standardisation {@code (f - mean) * inverseStd} is
 * folded into the head's first Linear ({@code W diag(s)}, {@code b - W (mean * s)}), so the
 * exported model is backbone + head with no extra step; a head that L2-normalises the feature
 * first ({@code -unit-features}) gets a diagonal Linear for it instead. Dropout, an identity in
 * evaluation, is left out.
 *
 * <p>The head's layers are renamed for the exporters: a linear head is {@code classifier.fc}
 * (torchvision's {@code fc}, so the state dict loads into {@code resnet18(num_classes=2)}), an
 * MLP head {@code classifier.fc.0} / {@code classifier.fc.2} ({@code fc = Sequential(Linear,
 * ReLU, Linear)}).
 */
public final class FinetunedClassifier {
  /** The name of the model {@link Finetune} builds and saves. */
  static final String MODEL_NAME = "finetune";

  /**
   * The assembled model and what it was made of.
   *
   * @param model backbone then head, outputs {@code [batch, 2]} logits
   * @param backboneFrom where the backbone came from: the pretrain checkpoint of a frozen
   *     finetune, or the finetune checkpoint itself when it trained the backbone
   * @param standardized whether the feature standardisation is folded in
   * @param unitFeatures whether the head L2-normalises the feature first (no torchvision form)
   */
  public record Assembled(AbstractModule<Activity, Activity, Object> model, Path backboneFrom,
      boolean standardized, boolean unitFeatures) {}

  private FinetunedClassifier() {}

  /** Whether {@code model} is what a finetune checkpoint holds. */
  public static boolean isFinetune(AbstractModule<Activity, Activity, Object> model) {
    return MODEL_NAME.equals(model.getName()) && (Object) model instanceof Sequential<?>;
  }

  /**
   * The classifier of a finetune checkpoint's {@code modelFile}
   * ({@code <pretrain run>/<finetune.folder>/checkpoints/epoch-NNNN/model.bigdl}): a frozen
   * finetune's backbone is read from the pretrain run (the checkpoint {@code results.json}
   * names, or else the run's newest, as the finetune itself takes), its standardisation from
   * the finetune folder.
   *
   * @throws IllegalArgumentException naming what is missing
   */
  public static Assembled load(AbstractModule<Activity, Activity, Object> finetuned,
      Path modelFile, Configuration hadoop) throws IOException {
    Sequential<Object> ft = sequential(finetuned);
    boolean frozen = frozen(ft);
    Path folder = modelFile.getParent().getParent().getParent();
    if (!frozen) {
      return assemble(ft, null, null, null, modelFile);
    }
    if (folder == null || folder.getParent() == null) {
      throw new IllegalArgumentException(modelFile + " is a frozen finetune's head, but it is "
          + "not in a finetune folder (<run>/<finetune.folder>/checkpoints/epoch-NNNN/), "
          + "where export finds the backbone; export the checkpoint from its run folder");
    }
    FileSystem fs = folder.getFileSystem(hadoop);
    Path source = source(folder, hadoop);
    AbstractModule<Activity, Activity, Object> pretrained = ModuleFiles.load(
        new Path(source, Checkpoint.MODEL), hadoop);
    AbstractModule<Activity, Activity, Object> backbone =
        Encoders.backbone(sequential(pretrained));
    Path scaling = new Path(folder, Finetune.STANDARDIZATION);
    float[] mean = null;
    float[] inverseStd = null;
    if (standardizes(folder, hadoop) && fs.exists(scaling)) {
      JsonNode s = Json.MAPPER.readTree(HadoopFiles.readString(scaling, hadoop));
      mean = floats(s.get("mean"));
      inverseStd = floats(s.get("inverse_std"));
    } else if (standardizes(folder, hadoop)) {
      throw new IllegalArgumentException("finetune folder " + folder + " trained its head on "
          + "standardised features but has no " + Finetune.STANDARDIZATION + "; it cannot be "
          + "exported without it");
    }
    return assemble(ft, backbone, mean, inverseStd, new Path(source, Checkpoint.MODEL));
  }

  /**
   * Backbone + head of the finetune model {@code ft}; {@code backbone} for a frozen one (whose
   * first layer is the flatten of the feature map), {@code mean} / {@code inverseStd} (or null)
   * the standardisation its head saw.
   */
  static Assembled assemble(Sequential<Object> ft,
      AbstractModule<Activity, Activity, Object> backbone, float[] mean, float[] inverseStd,
      Path backboneFrom) {
    boolean frozen = frozen(ft);
    if (frozen && backbone == null) {
      throw new IllegalArgumentException("a frozen finetune's head needs its backbone");
    }
    List<AbstractModule<Activity, Activity, Object>> head = new ArrayList<>();
    for (int i = 1; i < ft.modules().length(); i++) {
      AbstractModule<Activity, Activity, Object> m = child(ft, i);
      if (!((Object) m instanceof Dropout<?>)) {
        head.add(m);
      }
    }
    List<Linear<Object>> linears = new ArrayList<>();
    boolean unit = false;
    for (AbstractModule<Activity, Activity, Object> m : head) {
      Object o = m;
      if (o instanceof Linear<?> l) {
        linears.add(linear(l));
      } else if (o instanceof Normalize<?>) {
        unit = true;
      } else if (!(o instanceof ReLU<?>)) {
        throw new IllegalArgumentException("the finetune head has a layer " + m.getName() + " ("
            + m.getClass().getSimpleName() + ") export does not take");
      }
    }
    if (linears.isEmpty() || linears.size() > 2) {
      throw new IllegalArgumentException("the finetune head has " + linears.size()
          + " Linear layers; export takes a linear head or an MLP (two)");
    }
    Sequential<Object> out = Layers.sequential("finetune-classifier");
    Layers.add(out, frozen ? backbone : child(ft, 0));
    if (mean != null) {
      if ((Object) head.get(0) instanceof Linear<?>) {
        fold(linears.get(0), mean, inverseStd);
      } else {
        Layers.add(out, diagonal(mean, inverseStd));
      }
    }
    if (linears.size() == 1) {
      linears.get(0).setName("classifier.fc");
    } else {
      linears.get(0).setName("classifier.fc.0");
      linears.get(1).setName("classifier.fc.2");
    }
    for (AbstractModule<Activity, Activity, Object> m : head) {
      Layers.add(out, m);
    }
    return new Assembled(Layers.any(out), backboneFrom, mean != null, unit);
  }

  /** {@code W diag(s)} and {@code b - W (mean * s)}: the head's Linear on raw features. */
  private static void fold(Linear<Object> l, float[] mean, float[] s) {
    int in = l.inputSize();
    int outs = l.outputSize();
    if (mean.length != in || s.length != in) {
      throw new IllegalArgumentException("the standardisation holds " + mean.length
          + " features, the head takes " + in);
    }
    Tensor<Object> wt = (Tensor<Object>) l.weight();
    Tensor<Object> bt = (Tensor<Object>) l.bias();
    float[] w = Bigdl.toArray(wt);
    float[] b = Bigdl.toArray(bt);
    for (int o = 0; o < outs; o++) {
      double shift = 0;
      for (int i = 0; i < in; i++) {
        shift += (double) w[o * in + i] * mean[i] * s[i];
        w[o * in + i] = (float) ((double) w[o * in + i] * s[i]);
      }
      b[o] = (float) (b[o] - shift);
    }
    wt.copy(Bigdl.tensor(w, wt.size()));
    bt.copy(Bigdl.tensor(b, bt.size()));
  }

  /** The standardisation as a Linear with diagonal weights (exact: one term per output). */
  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> diagonal(float[] mean, float[] s) {
    int n = mean.length;
    AbstractModule<Activity, Activity, Object> m = Layers.linear("classifier.standardize", n, n);
    Linear<Object> l = (Linear<Object>) (Object) m;
    float[] w = new float[n * n];
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      w[i * n + i] = s[i];
      b[i] = (float) (-(double) mean[i] * s[i]);
    }
    ((Tensor<Object>) l.weight()).copy(Bigdl.tensor(w, n, n));
    ((Tensor<Object>) l.bias()).copy(Bigdl.tensor(b, n));
    return m;
  }

  /** A frozen finetune's model starts with the flatten of the backbone's feature map. */
  private static boolean frozen(Sequential<Object> ft) {
    return (Object) child(ft, 0) instanceof View<?>;
  }

  /**
   * The pretrain checkpoint the finetune read its backbone from: {@code results.json}'s
   * {@code source_checkpoint} once the finetune finished, else the pretrain run's newest (which
   * is what an unfinished finetune, and its {@code --resume}, take).
   */
  private static Path source(Path folder, Configuration hadoop) throws IOException {
    Path results = new Path(folder, "results.json");
    FileSystem fs = folder.getFileSystem(hadoop);
    if (fs.exists(results)) {
      JsonNode r = Json.MAPPER.readTree(HadoopFiles.readString(results, hadoop));
      if (r.hasNonNull("source_checkpoint")) {
        Path p = new Path(r.get("source_checkpoint").asText());
        if (fs.exists(new Path(p, Checkpoint.MODEL))) {
          return p;
        }
      }
    }
    Path latest = Checkpoint.latest(folder.getParent(), hadoop);
    if (latest == null) {
      throw new IllegalArgumentException(folder + " is a frozen finetune (its checkpoints hold "
          + "the head only) but its pretrain run " + folder.getParent() + " has no checkpoint "
          + "to take the backbone from");
    }
    return latest;
  }

  /**
   * Whether the finetune standardised its frozen features: its {@code config.conf}'s
   * {@code finetune.standardize-features}, or, without one, whether the file is there.
   */
  private static boolean standardizes(Path folder, Configuration hadoop) throws IOException {
    Path conf = new Path(folder, RunFolder.CONFIG);
    FileSystem fs = folder.getFileSystem(hadoop);
    if (fs.exists(conf)) {
      Config c = ConfigFactory.parseString(HadoopFiles.readString(conf, hadoop));
      if (c.hasPath("finetune.standardize-features")) {
        return c.getBoolean("finetune.standardize-features");
      }
    }
    return fs.exists(new Path(folder, Finetune.STANDARDIZATION));
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Sequential<Object> sequential(AbstractModule<Activity, Activity, Object> m) {
    if (!((Object) m instanceof Sequential<?>)) {
      throw new IllegalArgumentException("the checkpoint holds a " + m.getClass().getName()
          + ", not a model of ttc-spark");
    }
    return (Sequential<Object>) (Object) m;
  }

  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> child(Sequential<Object> s, int i) {
    return (AbstractModule<Activity, Activity, Object>) s.modules().apply(i);
  }

  @SuppressWarnings("unchecked")
  private static Linear<Object> linear(Linear<?> l) {
    return (Linear<Object>) l;
  }
}
