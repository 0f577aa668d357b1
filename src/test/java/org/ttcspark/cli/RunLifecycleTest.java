package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.data.Columns;
import org.ttcspark.data.Manifest;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;

/**
 * Issue 14: every check runs before Spark starts and before anything is written. The run here
 * is made by hand (its record, a checkpoint's state, a metrics line) so that no test starts
 * Spark: each command is refused during validation, and the run must be untouched.
 */
class RunLifecycleTest {
  @TempDir
  Path tmp;
  private Path prepared;
  private Path run;

  @BeforeEach
  void aFinishedRun() throws IOException {
    prepared = tmp.resolve("prepared");
    Files.createDirectories(prepared);
    Files.writeString(prepared.resolve(Columns.MANIFEST), new Manifest("synthetic", Map.of(), 1,
        Map.of("train", Map.of("0", 8L, "1", 24L)), List.of("a", "b"), 16, 16, 3,
        new double[] {0.4, 0.4, 0.4}, new double[] {0.2, 0.2, 0.2}, List.of(),
        "2026-01-01T00:00:00Z", "test").toJson(), StandardCharsets.UTF_8);
    Config c = ConfigLoader.load(List.of(), args());
    RunFolder folder = RunFolder.create("pretrain", c, new Configuration());
    run = tmp.resolve("runs/base");
    org.apache.hadoop.fs.Path epoch = Checkpoint.folder(folder.path(), 1);
    Files.createDirectories(run.resolve(Checkpoint.FOLDER).resolve(epoch.getName()));
    new Checkpoint(1, 4, 0.01, "resnet18-cifar-w8-p128-c3-s16-l2", "supmin", 2.5)
        .writeState(epoch, new Configuration());
    Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\":1,\"loss\":2.5}\n");
  }

  private List<String> args(String... extra) {
    List<String> a = new ArrayList<>(List.of("run.dir=" + tmp.resolve("runs"), "run.name=base",
        "dataset.prepared=" + prepared, "model.backbone=resnet18", "model.width=8",
        "train.batch-size=8", "train.epochs=2", "loss.minority-class=0"));
    a.addAll(List.of(extra));
    return a;
  }

  private MainTest.Result ttc(String command, String... extra) {
    List<String> a = new ArrayList<>(List.of(command));
    a.addAll(args(extra));
    return MainTest.run(a.toArray(new String[0]));
  }

  @Test
  void issue14SecondPretrainWithoutResumeIsRefusedAndLeavesTheRun() throws IOException {
    Map<String, String> before = Checksums.of(run);
    MainTest.Result r = ttc("pretrain");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("already holds a run") && r.err().contains("--resume"), r.err());
    assertEquals(before, Checksums.of(run));
  }

  @Test
  void issue14RejectedSettingsDoNotRewriteTheRunsRecord() throws IOException {
    Map<String, String> before = Checksums.of(run);
    MainTest.Result r = ttc("pretrain", "--resume", "train.learning-rate=-1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("train.learning-rate"), r.err());
    assertEquals(before, Checksums.of(run));
  }

  @Test
  void issue14ResumeWithAnotherMethodOrModelIsRefusedNamingEachKey() throws IOException {
    Map<String, String> before = Checksums.of(run);
    MainTest.Result r = ttc("pretrain", "--resume", "loss.method=supcon",
        "model.backbone=resnet50");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("loss.method \"supmin\" -> \"supcon\"")
        && r.err().contains("model.backbone \"resnet18\" -> \"resnet50\""), r.err());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    assertEquals(before, Checksums.of(run));
  }

  @Test
  void issue14ARefusedNewRunLeavesNoFolderBehind() throws IOException {
    MainTest.Result r = ttc("pretrain", "run.name=other", "train.learning-rate=-1");
    assertEquals(2, r.code(), r.err());
    assertFalse(Files.exists(tmp.resolve("runs/other")));
    MainTest.Result unnamed = ttc("train-ce", "run.name=", "train.epochs=0");
    assertEquals(2, unnamed.code(), unnamed.err());
    try (var names = Files.list(tmp.resolve("runs"))) {
      assertEquals(List.of("base"), names.map(p -> p.getFileName().toString()).toList(),
          "no <command>-<timestamp> folder");
    }
  }

  @Test
  void issue14AnUnknownKeyDoesNotHideTheOtherProblems() {
    MainTest.Result r = ttc("pretrain", "run.name=other", "train.batchsize=8",
        "train.learning-rate=-1", "loss.temperature=0");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("3 configuration problems"), r.err());
    assertTrue(r.err().contains("unknown key train.batchsize")
        && r.err().contains("did you mean train.batch-size?"), r.err());
    assertTrue(r.err().contains("key train.learning-rate = -1"), r.err());
    assertTrue(r.err().contains("key loss.temperature = 0"), r.err());
  }

  @Test
  void aWronglyTypedValueIsReportedOnce() {
    MainTest.Result r = ttc("pretrain", "run.name=other", "train.epochs=many");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("key train.epochs has a string"), r.err());
    assertFalse(r.err().contains("configuration problems"), "once, not again by the record: "
        + r.err());
  }

  @Test
  void issue14ABogusMasterIsNamedBeforeSparkStarts() {
    for (String master : List.of("foo://x", "bogus")) {
      MainTest.Result r = ttc("pretrain", "run.name=other", "spark.master=" + master);
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("key spark.master = \"" + master + "\"")
          && r.err().contains("is not a Spark master URL")
          && r.err().contains("spark://host:port"), r.err());
    }
  }

  @Test
  void resumeAndOverwriteTogetherAreRefused() throws IOException {
    Map<String, String> before = Checksums.of(run);
    MainTest.Result r = ttc("pretrain", "--resume", "run.overwrite=true");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("give one of them"), r.err());
    assertEquals(before, Checksums.of(run));
  }

  @Test
  void theMinorityClassAgainstTheManifestWarns() throws IOException {
    Manifest m = MinorityCheck.read(prepared.toString(), new Configuration());
    assertEquals(null, MinorityCheck.warning(m, 0, "p"));
    String w = MinorityCheck.warning(m, 1, "p");
    assertTrue(w.contains("loss.minority-class = 1 names the majority of the train split of p "
        + "(24 images of class 1, 8 of class 0)") && w.contains("loss.minority-class=0"), w);
  }

  @Test
  void aTrainSplitWithoutAClassWarns() {
    Manifest m = new Manifest("synthetic", Map.of(), 1, Map.of("train", Map.of("0", 8L)),
        List.of("a", "b"), 16, 16, 3, new double[] {0.4, 0.4, 0.4},
        new double[] {0.2, 0.2, 0.2}, List.of(), "2026-01-01T00:00:00Z", "test");
    String w = MinorityCheck.emptyClassWarning(m, "p");
    assertTrue(w.startsWith("the train split of p has no images of class 1 (8 of class 0)")
        && w.contains("dataset.ratios[1]"), w);
  }
}
