package org.ttcspark.model.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.testing.SparkTestSession;

/**
 * The exported state dict loads with {@code torch.load} into torchvision's ResNet + the head
 * and gives the BigDL model's eval-mode projections (Debian's python3-torch and
 * python3-torchvision at /usr/bin/python3; skipped with a message where they are absent).
 */
@ExtendWith(SparkTestSession.class)
class ExportSparkTest {
  private static final String PYTHON = "/usr/bin/python3";
  private static final String SCRIPT = String.join("\n",
      "import sys, numpy as np, torch, torchvision",
      "path, arch, stem, size, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])",
      "sd = torch.load(path)",
      "net = getattr(torchvision.models, arch)()",
      "net.fc = torch.nn.Identity()",
      "if stem == 'cifar':",
      "    net.conv1 = torch.nn.Conv2d(3, 64, 3, 1, 1, bias=False)",
      "    net.maxpool = torch.nn.Identity()",
      "net.load_state_dict({k[9:]: v for k, v in sd.items() if k.startswith('backbone.')})",
      "f = sd['head.0.weight'].shape[1]",
      "head = torch.nn.Sequential(torch.nn.Linear(f, f), torch.nn.ReLU(), torch.nn.Linear(f, sd['head.2.weight'].shape[0]))",
      "head.load_state_dict({k[5:]: v for k, v in sd.items() if k.startswith('head.')})",
      "x = torch.from_numpy(np.fromfile(path + '.x', dtype='<f4').reshape(n, 3, size, size))",
      "want = np.fromfile(path + '.z', dtype='<f4').reshape(n, -1)",
      "net.eval(); head.eval()",
      "with torch.no_grad():",
      "    z = torch.nn.functional.normalize(head(net(x)), dim=1).numpy()",
      "print('max_abs_diff %.3g' % np.abs(z - want).max())");

  @TempDir
  Path tmp;

  @BeforeAll
  static void pythonWithTorchvision() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " is absent");
    Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision")
        .redirectErrorStream(true).start();
    Assumptions.assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0,
        "python3-torch / python3-torchvision are not installed for " + PYTHON
        + " (apt-get install python3-torch python3-torchvision): export is not checked");
  }

  private static void writeFloats(Path file, float[] values) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    Files.write(file, b.array());
  }

  @SuppressWarnings("unchecked")
  private void sameProjectionsInPytorch(Backbone backbone, Stem stem, int size) throws Exception {
    Sequential<Object> model = Encoders.contrastive(new ModelConfig(backbone, stem, 64, 128,
        true), 3, size, 21);
    Random rng = new Random(2);
    TorchScriptExportSparkTest.randomRunningStatistics(model, rng);
    int n = 2;
    float[] x = new float[n * 3 * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    model.evaluate();
    float[] z = Bigdl.toArray((Tensor<Object>) model.forward(Bigdl.tensor(x, n, 3, size, size)));
    Path file = tmp.resolve(backbone.name().toLowerCase() + ".pt");
    try (OutputStream os = Files.newOutputStream(file)) {
      TorchSaveFile.write(StateDict.of(org.ttcspark.model.bigdl.Layers.any(model)), os);
    }
    writeFloats(Path.of(file + ".x"), x);
    writeFloats(Path.of(file + ".z"), z);
    Path script = tmp.resolve("check.py");
    Files.writeString(script, SCRIPT);
    Process p = new ProcessBuilder(PYTHON, script.toString(), file.toString(),
        backbone.name().toLowerCase(), stem.name().toLowerCase(), Integer.toString(size),
        Integer.toString(n)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python did not finish");
    assertEquals(0, p.exitValue(), output);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("max_abs_diff (\\S+)")
        .matcher(output);
    assertTrue(m.find(), output);
    double diff = Double.parseDouble(m.group(1));
    assertTrue(diff < 1e-4, backbone + " " + stem + ": PyTorch differs by " + diff);
  }

  @Test
  void resnet18WithTheCifarStemLoadsIntoTorchvision() throws Exception {
    sameProjectionsInPytorch(Backbone.RESNET18, Stem.CIFAR, 8);
  }

  @Test
  void resnet50WithTheImagenetStemLoadsIntoTorchvision() throws Exception {
    sameProjectionsInPytorch(Backbone.RESNET50, Stem.IMAGENET, 32);
  }
}
