package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.config.ConfigLoader;

/** Issue 14: run folders are written only when opened, stages never touch the training record. */
class RunFolderStateTest {
  @TempDir
  Path dir;

  private org.apache.hadoop.fs.Path hadoop(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  private Config config(String name) {
    return ConfigLoader.load(List.of(), List.of("run.dir=" + dir, "run.name=" + name));
  }

  @Test
  void aMissingFolderIsEmptyAndStageRecordsAreNoRun() throws IOException {
    RunFolderState missing = RunFolderState.read(hadoop(dir.resolve("none")), new Configuration());
    assertEquals(List.of(), missing.entries());
    assertFalse(missing.holdsRun());
    RunFolder.forStage("prepare", "prepare", config("r"), hadoop(dir.resolve("r")),
        new Configuration());
    RunFolderState staged = RunFolderState.read(hadoop(dir.resolve("r")), new Configuration());
    assertEquals(List.of("stages"), staged.entries());
    assertFalse(staged.holdsRun());
    assertTrue(Files.exists(dir.resolve("r/stages/prepare/config.conf")));
    assertTrue(Files.exists(dir.resolve("r/stages/prepare/provenance.json")));
  }

  @Test
  void aStartingRunWritesNothingUntilOpened() throws IOException {
    RunFolder run = RunFolder.starting("pretrain", config("r"), hadoop(dir.resolve("r")), false,
        new Configuration());
    assertFalse(Files.exists(dir.resolve("r")), "nothing written before open()");
    run.open();
    assertTrue(Files.exists(dir.resolve("r/config.conf")));
    RunFolderState state = RunFolderState.read(run.path(), new Configuration());
    assertEquals(List.of("config.conf", "provenance.json"), state.history());
    assertTrue(state.holdsRun());
  }

  @Test
  void replacingDeletesTheOldRunOnlyWhenOpened() throws IOException {
    Files.createDirectories(dir.resolve("r/checkpoints/epoch-0001"));
    Files.writeString(dir.resolve("r/metrics.jsonl"), "{}\n");
    RunFolder run = RunFolder.starting("pretrain", config("r"), hadoop(dir.resolve("r")), true,
        new Configuration());
    assertTrue(Files.exists(dir.resolve("r/metrics.jsonl")), "still there before open()");
    run.open();
    assertEquals(List.of("config.conf", "provenance.json"),
        RunFolderState.read(run.path(), new Configuration()).entries());
  }

  @Test
  void aResumeRecordsItselfAsAStageAndLeavesTheTrainingRecord() throws IOException {
    RunFolder.create("pretrain", config("r"), new Configuration());
    byte[] before = Files.readAllBytes(dir.resolve("r/config.conf"));
    Config resumed = ConfigLoader.load(List.of(),
        List.of("run.dir=" + dir, "run.name=r", "train.epochs=200"));
    RunFolder run = RunFolder.resuming("pretrain", resumed, hadoop(dir.resolve("r")),
        "resume-epoch-0003", new Configuration());
    run.open();
    assertEquals(new String(before), Files.readString(dir.resolve("r/config.conf")));
    assertTrue(Files.readString(dir.resolve("r/stages/resume-epoch-0003/config.conf"))
        .contains("200"));
  }
}
