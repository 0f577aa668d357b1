package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.testing.SparkTestSession;

/**
 * {@code ttc export --format torchscript} turns a saved model into a TorchScript archive in
 * place of the old refusal, and an unknown format is refused naming both (what the archive
 * computes is {@code TorchScriptExportSparkTest}'s).
 */
@ExtendWith(SparkTestSession.class)
class ExportCommandSparkTest {
  @TempDir
  Path tmp;

  @Test
  void torchscriptFormatWritesTheArchive() throws Exception {
    Path model = tmp.resolve("model.bigdl");
    ModuleFiles.save(Layers.any(Encoders.contrastive(new ModelConfig(Backbone.RESNET18,
        Stem.CIFAR, 4, 8, true), 3, 16, 1)), new org.apache.hadoop.fs.Path(model.toString()),
        new Configuration());
    Path out = tmp.resolve("out").resolve("encoder-ts.pt");
    MainTest.Result r = MainTest.run("export", "run.dir=" + tmp.resolve("runs"),
        "--checkpoint", model.toString(), "--format", "torchscript", "--out", out.toString());
    assertEquals(Main.OK, r.code(), r.err());
    assertTrue(r.out().contains("TorchScript"), r.out());
    Set<String> records = new HashSet<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(out))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        records.add(e.getName());
      }
    }
    for (String name : new String[] {"archive/data.pkl", "archive/constants.pkl",
        "archive/version", "archive/code/__torch__/ttcspark.py", "archive/data/0"}) {
      assertTrue(records.contains(name), name + " missing in " + records);
    }
    try (var files = Files.list(out.getParent())) {
      // Hadoop's local file system keeps its checksum beside the file
      java.util.List<String> names = files.map(f -> f.getFileName().toString())
          .filter(n -> !n.equals(".encoder-ts.pt.crc")).toList();
      assertEquals(java.util.List.of("encoder-ts.pt"), names, "only the archive is left");
    }
  }

  /**
   * A pretrain run {@code r} with a frozen finetune in {@code runs/r/finetune} (a head of
   * {@code headLayers} after the flatten, as {@code ttc finetune} builds it).
   */
  private Path finetuneRun(boolean unitFeatures) throws Exception {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path(tmp.resolve("runs")
        .resolve("r").toUri());
    org.apache.hadoop.fs.Path pre = org.ttcspark.train.Checkpoint.folder(run, 2);
    ModuleFiles.save(Layers.any(Encoders.contrastive(new ModelConfig(Backbone.RESNET18,
        Stem.CIFAR, 4, 8, true), 3, 16, 1)), new org.apache.hadoop.fs.Path(pre, "model.bigdl"),
        conf);
    new org.ttcspark.train.Checkpoint(2, 8, 0.1, "sig", "supmin", 1).writeState(pre, conf);
    int f = Backbone.RESNET18.featureDim(4);
    com.intel.analytics.bigdl.nn.Sequential<Object> head = Layers.sequential("finetune");
    Layers.add(head, Layers.flatten("finetune.flatten", f));
    if (unitFeatures) {
      Layers.add(head, Layers.l2Normalize("finetune.l2"));
    }
    Layers.add(head, Layers.linear("finetune.fc", f, 2));
    org.apache.hadoop.fs.Path ft = org.ttcspark.train.Checkpoint.folder(
        new org.apache.hadoop.fs.Path(run, "finetune"), 1);
    ModuleFiles.save(Layers.any(head), new org.apache.hadoop.fs.Path(ft, "model.bigdl"), conf);
    new org.ttcspark.train.Checkpoint(1, 4, 0.1, "sig", "finetune", 1).writeState(ft, conf);
    float[] mean = new float[f];
    float[] inv = new float[f];
    java.util.Arrays.fill(inv, 2f);
    org.ttcspark.platform.HadoopFiles.writeString(new org.apache.hadoop.fs.Path(
        new org.apache.hadoop.fs.Path(run, "finetune"), "feature-standardization.json"), conf,
        org.ttcspark.platform.Json.write(java.util.Map.of("mean", mean, "inverse_std", inv)));
    return tmp.resolve("runs");
  }

  @Test
  void finetuneFolderExportsTheClassifier() throws Exception {
    Path runs = finetuneRun(false);
    MainTest.Result r = MainTest.run("export", "run.dir=" + runs, "run.name=r",
        "--finetune", "finetune");
    assertEquals(Main.OK, r.code(), r.err());
    assertTrue(r.out().contains("fine-tuned classifier") && r.out().contains("epoch-0002")
        && r.out().contains("folded"), r.out());
    assertTrue(Files.size(runs.resolve("r/export/finetune-classifier.pt")) > 0, r.out());
    MainTest.Result ts = MainTest.run("export", "run.dir=" + runs, "run.name=r",
        "--finetune", "finetune", "--format", "torchscript");
    assertEquals(Main.OK, ts.code(), ts.err());
    assertTrue(Files.size(runs.resolve("r/export/finetune-classifier-torchscript.pt")) > 0,
        ts.out());
  }

  @Test
  void unitFeatureHeadIsRefusedAsStateDictNamingTorchscript() throws Exception {
    Path runs = finetuneRun(true);
    Path model = runs.resolve("r/finetune/checkpoints/epoch-0001");
    Path out = tmp.resolve("sd.pt");
    MainTest.Result r = MainTest.run("export", "run.dir=" + runs, "--checkpoint",
        model.toString(), "--out", out.toString());
    assertEquals(Main.FAILED, r.code(), r.out());
    assertTrue(r.err().contains("--format torchscript"), r.err());
    assertFalse(Files.exists(out), "nothing written");
    MainTest.Result ts = MainTest.run("export", "run.dir=" + runs, "--checkpoint",
        model.toString(), "--format", "torchscript", "--out", out.toString());
    assertEquals(Main.OK, ts.code(), ts.err());
    assertTrue(Files.exists(out));
  }

  @Test
  void unknownFormatIsRefusedNamingBoth() {
    MainTest.Result r = MainTest.run("export", "run.dir=" + tmp.resolve("runs"),
        "--checkpoint", tmp.resolve("model.bigdl").toString(), "--format", "onnx");
    assertEquals(Main.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("state-dict or torchscript"), r.err());
    assertFalse(Files.exists(tmp.resolve("runs")), "nothing written");
  }
}
