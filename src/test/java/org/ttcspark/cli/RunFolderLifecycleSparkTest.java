package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/**
 * Issue 14, end to end on a tiny pretrain: a finished run survives a second pretrain, a
 * resume that would change the method and a resume with a bad value byte for byte; an allowed
 * resume, embed, probe and report add their own records without rewriting the training
 * record; run.overwrite=true replaces the run.
 */
@ExtendWith(SparkTestSession.class)
class RunFolderLifecycleSparkTest {
  @TempDir
  Path tmp;

  private MainTest.Result ttc(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, "run.dir=" + tmp.resolve("runs"),
        "run.work-dir=" + tmp.resolve("work"), "dataset.source=synthetic",
        "dataset.prepared=" + tmp.resolve("prepared"), "dataset.ratios=[0.25, 0.75]",
        "dataset.synthetic.train-per-class=16", "dataset.synthetic.val-per-class=4",
        "dataset.synthetic.test-per-class=4", "dataset.synthetic.size=16",
        "model.backbone=resnet18", "model.width=4", "model.projection-dim=8",
        "train.batch-size=8", "train.epochs=1", "run.name=base", "loss.minority-class=0",
        "engine.inference-batch=16"));
    args.addAll(List.of(extra));
    return MainTest.run(args.toArray(new String[0]));
  }

  private static void ok(MainTest.Result r, String what) {
    assertEquals(0, r.code(), what + ": " + r.err());
  }

  @Test
  void issue14AFinishedRunIsAppendOnlyHistory(SparkSession spark) throws Exception {
    Path run = tmp.resolve("runs/base");
    ok(ttc("prepare"), "prepare");
    assertTrue(Files.exists(run.resolve("stages/prepare/prepare.json")));
    ok(ttc("pretrain"), "pretrain");
    Map<String, String> finished = Checksums.of(run);
    assertTrue(finished.containsKey("checkpoints/epoch-0001/state.json"), finished.toString());

    MainTest.Result again = ttc("pretrain");
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("already holds a run") && again.err().contains("--resume")
        && again.err().contains("run.overwrite=true"), again.err());
    assertEquals(finished, Checksums.of(run), "a second pretrain leaves every file as it was");

    MainTest.Result method = ttc("pretrain", "--resume", "loss.method=supcon");
    assertEquals(2, method.code(), method.err());
    assertTrue(method.err().contains("loss.method \"supmin\" -> \"supcon\""), method.err());
    MainTest.Result negative = ttc("pretrain", "--resume", "train.epochs=2",
        "train.learning-rate=-1");
    assertEquals(2, negative.code(), negative.err());
    assertEquals(finished, Checksums.of(run), "refused resumes write nothing");

    String record = Files.readString(run.resolve("config.conf"));
    ok(ttc("pretrain", "--resume", "train.epochs=2"), "resume extending the run");
    assertEquals(record, Files.readString(run.resolve("config.conf")),
        "the training record stays as the run started");
    assertEquals(2, com.typesafe.config.ConfigFactory.parseFile(
        run.resolve("stages/resume-epoch-0002/config.conf").toFile()).getInt("train.epochs"),
        "the resume records itself");
    assertTrue(Files.exists(run.resolve("checkpoints/epoch-0002/state.json")));

    ok(ttc("embed"), "embed");
    ok(ttc("probe", "run.name=", "--embeddings-dir", run.resolve("embeddings").toString()),
        "probe on the run's embeddings, no run.name");
    assertTrue(Files.exists(run.resolve("probe.json")), "probe wrote into the run it read");
    assertTrue(Files.exists(run.resolve("stages/probe/provenance.json")));
    assertTrue(Files.exists(run.resolve("stages/embed/config.conf")));
    ok(ttc("report"), "report of run.name");
    assertTrue(Files.readString(run.resolve("report.html")).contains("balanced"),
        "the run's report sees the probe");
    assertEquals(record, Files.readString(run.resolve("config.conf")));
    try (var names = Files.list(tmp.resolve("runs"))) {
      assertEquals(List.of("base"), names.map(p -> p.getFileName().toString()).toList(),
          "no timestamped folders beside the run");
    }

    ok(ttc("pretrain", "run.overwrite=true"), "replace explicitly");
    assertFalse(Files.exists(run.resolve("checkpoints/epoch-0002")), "the old run is gone");
    assertFalse(Files.exists(run.resolve("stages")), "with its stage records");
    assertTrue(Files.exists(run.resolve("checkpoints/epoch-0001/state.json")));
  }
}
