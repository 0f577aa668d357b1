package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ttcspark.testing.Differences.maxAbs;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import com.intel.analytics.bigdl.nn.Linear;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.model.torch.StateDict;
import org.ttcspark.model.torch.TorchSaveFile;
import org.ttcspark.model.torch.TorchScriptFile;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.platform.Torch;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.FinetuneConfig;

/**
 * A fine-tuned classifier laid out as {@code ttc finetune} leaves it (a pretrain run, its
 * {@code finetune/} folder with the head's checkpoint and the feature standardisation) exports
 * in both formats and gives the BigDL finetune's eval logits (backbone, standardisation, head)
 * within 1e-4: the TorchScript archive in DJL and with {@code torch.jit.load}, the state dict
 * in torchvision's {@code resnet18(num_classes=2)} (Debian's python3-torch and
 * python3-torchvision; those checks skip with a message where they are absent).
 */
@ExtendWith(SparkTestSession.class)
class FinetuneExportSparkTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final int N = 3;
  private static final int SIZE = 8;
  private static final String SCRIPT = String.join("\n",
      "import sys, numpy as np, torch, torchvision",
      "sd_path, ts_path, mlp, size, n = sys.argv[1], sys.argv[2], sys.argv[3] == 'mlp', int(sys.argv[4]), int(sys.argv[5])",
      "x = torch.from_numpy(np.fromfile(ts_path + '.x', dtype='<f4').reshape(n, 3, size, size))",
      "want = np.fromfile(ts_path + '.z', dtype='<f4').reshape(n, 2)",
      "m = torch.jit.load(ts_path)",
      "net = torchvision.models.resnet18(num_classes=2)",
      "net.conv1 = torch.nn.Conv2d(3, 64, 3, 1, 1, bias=False); net.maxpool = torch.nn.Identity()",
      "if mlp:",
      "    f = net.fc.in_features",
      "    net.fc = torch.nn.Sequential(torch.nn.Linear(f, f), torch.nn.ReLU(), torch.nn.Linear(f, 2))",
      "sd = torch.load(sd_path)",
      "net.load_state_dict({k[9:]: v for k, v in sd.items()})",
      "net.eval()",
      "with torch.no_grad():",
      "    zs, zt = net(x).numpy(), m(x).numpy()",
      "print('max_abs_diff %.3g %.3g' % (np.abs(zs - want).max(), np.abs(zt - want).max()))");

  @TempDir
  java.nio.file.Path tmp;

  @BeforeAll
  static void engine() {
    Torch.engine(RuntimeConfig.from(ConfigLoader.load(List.of(), List.of())));
  }

  /** The classifier exported, an input batch and the BigDL finetune's logits for it. */
  private record Case(AbstractModule<Activity, Activity, Object> exportModel, float[] x,
      float[] logits, float[] features, FinetunedClassifier.Assembled assembled) {}

  private static FinetuneConfig finetune(String... overrides) {
    return FinetuneConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  private static void randomize(Tensor<Object> t, Random rng, double scale) {
    float[] v = Bigdl.floats(t);
    for (int j = 0; j < t.nElement(); j++) {
      v[t.storageOffset() - 1 + j] = (float) (scale * rng.nextGaussian());
    }
  }

  /** Gives the head's layers and the BatchNorm running statistics non-trivial values. */
  @SuppressWarnings("unchecked")
  private static void randomize(AbstractModule<Activity, Activity, Object> model, Random rng) {
    Tensor<Object>[] extra = model.getExtraParameter();
    for (int i = 0; extra != null && i < extra.length; i++) {
      float[] v = Bigdl.floats(extra[i]);
      for (int j = 0; j < extra[i].nElement(); j++) {
        v[extra[i].storageOffset() - 1 + j] = i % 2 == 0 ? (float) (0.1 * rng.nextGaussian())
            : (float) (0.5 + rng.nextDouble());
      }
    }
  }

  private static void randomizeHead(AbstractModule<Activity, Activity, Object> head, Random rng) {
    Sequential<?> s = (Sequential<?>) (Object) head;
    for (int i = 0; i < s.modules().length(); i++) {
      Object m = s.modules().apply(i);
      if (m instanceof Linear<?> l) {
        randomize((Tensor<Object>) (Tensor<?>) l.weight(), rng, 0.1);
        randomize((Tensor<Object>) (Tensor<?>) l.bias(), rng, 0.1);
      }
    }
  }

  private static void checkpoint(AbstractModule<Activity, Activity, Object> model, Path run,
      String method, Configuration conf) throws Exception {
    Path folder = Checkpoint.folder(run, 1);
    ModuleFiles.save(model, new Path(folder, Checkpoint.MODEL), conf);
    new Checkpoint(1, 4, 0.1, "sig", method, 0.5).writeState(folder, conf);
  }

  /**
   * A pretrain run and a finetune of it with {@code ft}; returns the export model read back
   * from the files and BigDL's logits of the finetune as {@code ttc finetune} computes them.
   */
  @SuppressWarnings("unchecked")
  private Case finetuned(FinetuneConfig ft, boolean standardize) throws Exception {
    Configuration conf = new Configuration();
    Random rng = new Random(5);
    Sequential<Object> encoder = Encoders.contrastive(new ModelConfig(Backbone.RESNET18,
        Stem.CIFAR, 64, 16, true), 3, SIZE, 21);
    randomize(Layers.any(encoder), rng);
    Path run = new Path(tmp.resolve("runs").resolve("r").toUri());
    checkpoint(Layers.any(encoder), run, "supmin", conf);
    AbstractModule<Activity, Activity, Object> backbone = Encoders.backbone(encoder);
    int f = Backbone.RESNET18.featureDim(64);
    AbstractModule<Activity, Activity, Object> head = Finetune.build(ft.trainable() ? backbone
        : null, f, ft, 3);
    randomizeHead(head, rng);
    Path folder = new Path(run, "finetune");
    checkpoint(head, folder, "finetune", conf);
    float[] mean = new float[f];
    float[] inv = new float[f];
    for (int i = 0; i < f; i++) {
      mean[i] = (float) rng.nextGaussian();
      inv[i] = (float) (0.5 + rng.nextDouble());
    }
    if (standardize) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("mean", mean);
      s.put("inverse_std", inv);
      HadoopFiles.writeString(new Path(folder, Finetune.STANDARDIZATION), conf, Json.write(s));
    }
    float[] x = new float[N * 3 * SIZE * SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    Tensor<Object> input = Bigdl.tensor(x, N, 3, SIZE, SIZE);
    encoder.evaluate();
    head.evaluate();
    float[] features = Bigdl.toArray((Tensor<Object>) backbone.forward(input));
    float[] logits;
    if (ft.trainable()) {
      logits = Bigdl.toArray((Tensor<Object>) head.forward(input));
    } else {
      // FeatureViews: the frozen feature map, standardised, into the head
      float[] std = features.clone();
      for (int i = 0; standardize && i < std.length; i++) {
        std[i] = (std[i] - mean[i % f]) * inv[i % f];
      }
      logits = Bigdl.toArray((Tensor<Object>) head.forward(Bigdl.tensor(std, N, f, 1, 1)));
    }
    Path file = new Path(Checkpoint.folder(folder, 1), Checkpoint.MODEL);
    FinetunedClassifier.Assembled a = FinetunedClassifier.load(ModuleFiles.load(file, conf),
        file, conf);
    return new Case(a.model(), x, logits, features, a);
  }

  private java.nio.file.Path torchscript(Case c, String name) throws Exception {
    java.nio.file.Path file = tmp.resolve(name + ".pt");
    try (OutputStream os = Files.newOutputStream(file)) {
      TorchScriptFile.write(c.exportModel(), os);
    }
    return file;
  }

  /** The archive in DJL: logits from {@code forward}, the backbone's from {@code features}. */
  private static void sameLogitsInDjl(Case c, java.nio.file.Path file) throws Exception {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (Model model = Model.newInstance("classifier", Device.cpu(), Torch.ENGINE);
        NDManager manager = NDManager.newBaseManager(Device.cpu(), Torch.ENGINE)) {
      String name = file.getFileName().toString();
      model.load(file.getParent(), name.substring(0, name.length() - ".pt".length()));
      PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
      PtNDArray x = (PtNDArray) manager.create(c.x(), new Shape(N, 3, SIZE, SIZE));
      try (IValue in = IValue.from(x);
          IValue z = block.forward(in);
          IValue f = IValueUtils.runMethod(block, "features", in)) {
        double dz = maxAbs(z.toTensor((PtNDManager) manager).toFloatArray(), c.logits());
        double df = maxAbs(f.toTensor((PtNDManager) manager).toFloatArray(), c.features());
        assertTrue(dz < 1e-4, name + ": DJL's logits differ by " + dz);
        double scale = 1;
        for (float v : c.features()) {
          scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(df / scale < 1e-5, name + ": features differ by " + df);
      }
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  private static void writeFloats(java.nio.file.Path file, float[] values) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    Files.write(file, b.array());
  }

  /** Both files in PyTorch: the state dict in torchvision's ResNet-18, the archive by jit. */
  private void sameLogitsInPytorch(Case c, java.nio.file.Path script, boolean mlp)
      throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(java.nio.file.Path.of(PYTHON)), PYTHON
        + " is absent: the fine-tuned export is not checked in PyTorch");
    Process probe = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision, numpy")
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "python3-torch / python3-torchvision are not installed for " + PYTHON + " (apt-get "
        + "install python3-torch python3-torchvision): the fine-tuned export is not checked "
        + "in PyTorch");
    java.nio.file.Path sd = tmp.resolve(script.getFileName() + ".sd.pt");
    try (OutputStream os = Files.newOutputStream(sd)) {
      TorchSaveFile.write(StateDict.of(c.exportModel()), os);
    }
    writeFloats(java.nio.file.Path.of(script + ".x"), c.x());
    writeFloats(java.nio.file.Path.of(script + ".z"), c.logits());
    java.nio.file.Path check = tmp.resolve("check.py");
    Files.writeString(check, SCRIPT);
    Process p = new ProcessBuilder(PYTHON, check.toString(), sd.toString(), script.toString(),
        mlp ? "mlp" : "linear", Integer.toString(SIZE), Integer.toString(N))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python did not finish");
    assertEquals(0, p.exitValue(), output);
    Matcher m = Pattern.compile("max_abs_diff (\\S+) (\\S+)").matcher(output);
    assertTrue(m.find(), output);
    double ds = Double.parseDouble(m.group(1));
    double dt = Double.parseDouble(m.group(2));
    assertTrue(ds < 1e-4, "torchvision with the state dict: logits differ by " + ds);
    assertTrue(dt < 1e-4, "torch.jit.load: logits differ by " + dt);
  }

  @Test
  void frozenLinearHeadWithStandardisationExportsBothFormats() throws Exception {
    Case c = finetuned(finetune(), true);
    assertTrue(c.assembled().standardized(), "the standardisation is folded in");
    assertFalse(c.assembled().unitFeatures());
    assertFalse(c.assembled().backboneFrom().toString().contains("finetune"),
        "backbone of the pretrain checkpoint: " + c.assembled().backboneFrom());
    java.util.Set<String> keys = StateDict.of(c.exportModel()).keySet();
    assertTrue(keys.contains("backbone.fc.weight") && keys.contains("backbone.fc.bias")
        && keys.contains("backbone.conv1.weight"), keys.toString());
    assertFalse(keys.stream().anyMatch(k -> k.startsWith("head.")), "no projection head");
    java.nio.file.Path ts = torchscript(c, "frozen-linear");
    sameLogitsInDjl(c, ts);
    sameLogitsInPytorch(c, ts, false);
  }

  @Test
  void frozenMlpHeadWithStandardisationExportsBothFormats() throws Exception {
    Case c = finetuned(finetune("finetune.head=mlp"), true);
    java.util.Set<String> keys = StateDict.of(c.exportModel()).keySet();
    assertTrue(keys.contains("backbone.fc.0.weight") && keys.contains("backbone.fc.2.bias"),
        keys.toString());
    java.nio.file.Path ts = torchscript(c, "frozen-mlp");
    sameLogitsInDjl(c, ts);
    sameLogitsInPytorch(c, ts, true);
  }

  @Test
  void unitFeatureHeadExportsAsTorchscript() throws Exception {
    Case c = finetuned(finetune("finetune.balance=ldam-drw"), true);
    assertTrue(c.assembled().unitFeatures());
    sameLogitsInDjl(c, torchscript(c, "frozen-unit"));
  }

  @Test
  void trainableFinetuneExportsItsOwnBackbone() throws Exception {
    Case c = finetuned(finetune("finetune.trainable=true"), false);
    assertFalse(c.assembled().standardized());
    assertTrue(c.assembled().backboneFrom().toString().contains("finetune"),
        "the backbone is the finetune's own: " + c.assembled().backboneFrom());
    sameLogitsInDjl(c, torchscript(c, "trainable"));
  }
}
