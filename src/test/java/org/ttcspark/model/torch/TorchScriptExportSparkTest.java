package org.ttcspark.model.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.platform.Torch;
import org.ttcspark.testing.SparkTestSession;

/**
 * The TorchScript archive loads without its Python class, in DJL's libtorch 2.5.1 (always) and
 * in Debian's python3-torch 1.13 ({@code torch.jit.load}; skipped with a message where it is
 * absent), and gives the BigDL model's eval-mode outputs: {@code forward} the projection (or a
 * classifier's logits), {@code features} the backbone's feature.
 */
@ExtendWith(SparkTestSession.class)
class TorchScriptExportSparkTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final int N = 2;
  private static final String SCRIPT = String.join("\n",
      "import sys, numpy as np, torch",
      "path, size, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])",
      "m = torch.jit.load(path)",
      "x = torch.from_numpy(np.fromfile(path + '.x', dtype='<f4').reshape(n, 3, size, size))",
      "with torch.no_grad():",
      "    z, f = m(x).numpy(), m.features(x).numpy()",
      "dz = np.abs(z - np.fromfile(path + '.z', dtype='<f4').reshape(z.shape)).max()",
      "df = np.abs(f - np.fromfile(path + '.f', dtype='<f4').reshape(f.shape)).max()",
      "print('max_abs_diff %.3g %.3g' % (dz, df))");

  @TempDir
  Path tmp;

  /** An exported model with an input batch and BigDL's eval outputs for it. */
  private record Exported(Path file, int size, float[] x, float[] output, float[] features) {}

  @BeforeAll
  static void engine() {
    Torch.engine(RuntimeConfig.from(ConfigLoader.load(java.util.List.of(),
        java.util.List.of())));
  }

  /** Gives the BatchNorm running statistics values that are not the trivial 0 / 1. */
  static void randomRunningStatistics(Sequential<Object> model, Random rng) {
    Tensor<Object>[] extra = model.getExtraParameter();
    for (int i = 0; i < extra.length; i++) {
      float[] v = Bigdl.floats(extra[i]);
      for (int j = 0; j < extra[i].nElement(); j++) {
        v[extra[i].storageOffset() - 1 + j] = i % 2 == 0 ? (float) (0.1 * rng.nextGaussian())
            : (float) (0.5 + rng.nextDouble());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Exported export(Sequential<Object> model, String name, int size) throws Exception {
    Random rng = new Random(2);
    randomRunningStatistics(model, rng);
    float[] x = new float[N * 3 * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    model.evaluate();
    Tensor<Object> input = Bigdl.tensor(x, N, 3, size, size);
    float[] out = Bigdl.toArray((Tensor<Object>) model.forward(input));
    float[] f = Bigdl.toArray((Tensor<Object>) Encoders.backbone(model).forward(input));
    Path file = tmp.resolve(name + ".pt");
    try (OutputStream os = Files.newOutputStream(file)) {
      TorchScriptFile.write(Layers.any(model), os);
    }
    return new Exported(file, size, x, out, f);
  }

  private Exported encoder(Backbone backbone, Stem stem, int width, int size) throws Exception {
    return export(Encoders.contrastive(new ModelConfig(backbone, stem, width, 16, true), 3,
        size, 21), backbone.name().toLowerCase() + "-" + stem.name().toLowerCase(), size);
  }

  /** Loads the archive in DJL and checks {@code forward} and {@code features}. */
  private static void sameOutputsInDjl(Exported e) throws Exception {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (Model model = Model.newInstance("encoder", Device.cpu(), Torch.ENGINE);
        NDManager manager = NDManager.newBaseManager(Device.cpu(), Torch.ENGINE)) {
      String name = e.file().getFileName().toString();
      model.load(e.file().getParent(), name.substring(0, name.length() - ".pt".length()));
      PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
      PtNDArray x = (PtNDArray) manager.create(e.x(), new Shape(N, 3, e.size(), e.size()));
      try (IValue in = IValue.from(x);
          IValue z = block.forward(in);
          IValue f = IValueUtils.runMethod(block, "features", in)) {
        double dz = maxAbs(z.toTensor((PtNDManager) manager).toFloatArray(), e.output());
        double df = maxAbs(f.toTensor((PtNDManager) manager).toFloatArray(), e.features());
        assertTrue(dz < 1e-4, e.file().getFileName() + ": forward differs by " + dz);
        assertFeatures(e, df, "DJL");
      }
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /**
   * The backbone features are not normalised (ResNet-50's reach ~10^3 on these random running
   * statistics), so their float error is bounded relative to their largest value.
   */
  private static void assertFeatures(Exported e, double diff, String where) {
    double scale = 1;
    for (float v : e.features()) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertTrue(diff / scale < 1e-5, e.file().getFileName() + ": " + where + "'s features "
        + "differ by " + diff + " (largest " + scale + ")");
  }

  private static void writeFloats(Path file, float[] values) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    Files.write(file, b.array());
  }

  /** Loads the archive with {@code torch.jit.load} and checks both methods. */
  private void sameOutputsInPython(Exported e) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is absent: "
        + "torch.jit.load of the export is not checked");
    Process probe = new ProcessBuilder(PYTHON, "-c", "import torch, numpy")
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "python3-torch is not installed for " + PYTHON + " (apt-get install python3-torch): "
        + "torch.jit.load of the export is not checked");
    writeFloats(Path.of(e.file() + ".x"), e.x());
    writeFloats(Path.of(e.file() + ".z"), e.output());
    writeFloats(Path.of(e.file() + ".f"), e.features());
    Path script = tmp.resolve("check.py");
    Files.writeString(script, SCRIPT);
    Process p = new ProcessBuilder(PYTHON, script.toString(), e.file().toString(),
        Integer.toString(e.size()), Integer.toString(N)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python did not finish");
    assertEquals(0, p.exitValue(), output);
    Matcher m = Pattern.compile("max_abs_diff (\\S+) (\\S+)").matcher(output);
    assertTrue(m.find(), output);
    double dz = Double.parseDouble(m.group(1));
    double df = Double.parseDouble(m.group(2));
    assertTrue(dz < 1e-4, e.file().getFileName() + ": PyTorch's forward differs by " + dz);
    assertFeatures(e, df, "PyTorch");
  }

  @Test
  void resnet18WithTheCifarStemRunsInDjl() throws Exception {
    sameOutputsInDjl(encoder(Backbone.RESNET18, Stem.CIFAR, 8, 16));
  }

  @Test
  void resnet50WithTheImagenetStemRunsInDjl() throws Exception {
    sameOutputsInDjl(encoder(Backbone.RESNET50, Stem.IMAGENET, 4, 32));
  }

  @Test
  void classifierGivesItsLogitsInDjl() throws Exception {
    sameOutputsInDjl(export(Encoders.classifier(new ModelConfig(Backbone.RESNET18, Stem.CIFAR,
        4, 16, true), 3, 16, 3, 21), "classifier", 16));
  }

  @Test
  void resnet18WithTheCifarStemLoadsWithTorchJitLoad() throws Exception {
    sameOutputsInPython(encoder(Backbone.RESNET18, Stem.CIFAR, 8, 16));
  }

  @Test
  void resnet50WithTheImagenetStemLoadsWithTorchJitLoad() throws Exception {
    sameOutputsInPython(encoder(Backbone.RESNET50, Stem.IMAGENET, 4, 32));
  }
}
