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

  @Test
  void unknownFormatIsRefusedNamingBoth() {
    MainTest.Result r = MainTest.run("export", "run.dir=" + tmp.resolve("runs"),
        "--checkpoint", tmp.resolve("model.bigdl").toString(), "--format", "onnx");
    assertEquals(Main.USAGE, r.code(), r.err());
    assertTrue(r.err().contains("state-dict or torchscript"), r.err());
    assertFalse(Files.exists(tmp.resolve("runs")), "nothing written");
  }
}
