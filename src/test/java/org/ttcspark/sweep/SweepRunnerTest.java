package org.ttcspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumption with a stage runner that records what it ran and can be made to crash, so that a
 * killed sweep can be replayed without a cluster.
 */
class SweepRunnerTest {
  @TempDir
  Path dir;

  /** Records stage calls; throws on the call numbered {@code crashAt} (an Error, like a kill). */
  static final class RecordingStages implements StageRunner {
    final List<String> calls = new ArrayList<>();
    int crashAt = -1;

    @Override
    public void validate(PlannedRun run, Stage stage) {}

    @Override
    public Map<String, Object> run(PlannedRun run, Stage stage) throws IOException {
      if (calls.size() == crashAt) {
        throw new KilledError();
      }
      calls.add(run.method() + "/" + run.seed() + "/" + stage.word());
      if (stage == Stage.PREPARE) {
        Path folder = Path.of(run.datasetFolder());
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("manifest.json"), "{}");
      }
      return stage == Stage.PROBE ? Map.of("probe_auroc", 0.75) : Map.of();
    }
  }

  static final class KilledError extends Error {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aKilledSweepResumesWithoutRedoingFinishedRunsOrDuplicatingRows() throws IOException {
    List<PlannedRun> runs = SweepPlan.expand(SweepPlanTest.sweepOf(
        "sweep.datasets={ a { dataset.source = synthetic } }", "run.dir=" + dir, "sweep.ratios=[0.05]"));
    List<Stage> stages = List.of(Stage.PREPARE, Stage.TRAIN, Stage.PROBE);
    RecordingStages first = new RecordingStages();
    first.crashAt = 7; // in the middle of the third run
    SweepRunner runner = new SweepRunner(first, new Configuration(), quiet());
    org.apache.hadoop.fs.Path sweepDir = new org.apache.hadoop.fs.Path(dir.resolve("t").toUri());
    try {
      runner.run(runs, stages, sweepDir, null);
    } catch (KilledError expected) {
      // the process died here
    }
    assertEquals(7, first.calls.size());

    RecordingStages second = new RecordingStages();
    List<Map<String, Object>> rows = new SweepRunner(second, new Configuration(), quiet())
        .run(runs, stages, sweepDir, null);
    assertEquals(runs.size(), rows.size());
    assertTrue(second.calls.stream().noneMatch(c -> c.startsWith("supmin/1/")
        || c.startsWith("supmin/2/")), "finished runs skipped: " + second.calls);
    assertTrue(second.calls.contains("supmin/3/train"), "crashed run redone: " + second.calls);
    assertTrue(second.calls.stream().noneMatch(c -> c.equals("ce/1/prepare")),
        "prepared dataset reused: " + second.calls);
    List<String> csv = Files.readAllLines(dir.resolve("t/results.csv"));
    assertEquals(1 + runs.size(), csv.size(), "header and one row per run: " + csv);
    assertEquals(runs.size(), csv.stream().filter(l -> l.contains(",ok,")).count());
    assertTrue(csv.get(0).startsWith("dataset,ratio,method,seed,hash,status,wall_seconds,"
        + "run_folder,probe_auroc"), csv.get(0));
    assertTrue(Files.readString(dir.resolve("t/results.md")).contains("| 0.7500 |"));
  }

  @Test
  void aFailedRunIsRecordedAndRedoneNextTime() throws IOException {
    List<PlannedRun> runs = SweepPlan.expand(SweepPlanTest.sweepOf(
        "sweep.datasets={ a { dataset.source = synthetic } }", "run.dir=" + dir, "sweep.ratios=[0.05]",
        "sweep.methods=[supmin]", "sweep.seeds=[1]"));
    StageRunner failing = new StageRunner() {
      @Override
      public void validate(PlannedRun run, Stage stage) {}

      @Override
      public Map<String, Object> run(PlannedRun run, Stage stage) {
        throw new IllegalStateException("loss became NaN at iteration 12");
      }
    };
    org.apache.hadoop.fs.Path sweepDir = new org.apache.hadoop.fs.Path(dir.resolve("t").toUri());
    List<Map<String, Object>> rows = new SweepRunner(failing, new Configuration(), quiet())
        .run(runs, List.of(Stage.TRAIN), sweepDir, null);
    assertEquals("failed: loss became NaN at iteration 12", rows.get(0).get("status"));
    RecordingStages second = new RecordingStages();
    new SweepRunner(second, new Configuration(), quiet()).run(runs, List.of(Stage.TRAIN),
        sweepDir, null);
    assertEquals(List.of("supmin/1/train"), second.calls);
  }

  /** Writes probe.json holding {@code value} and reports it as the probe's AUROC. */
  static final class ProbeWriting implements StageRunner {
    final List<String> calls = new ArrayList<>();
    final double value;
    final boolean fail;

    ProbeWriting(double value, boolean fail) {
      this.value = value;
      this.fail = fail;
    }

    @Override
    public void validate(PlannedRun run, Stage stage) {}

    @Override
    public List<String> outputs(PlannedRun run, Stage stage) {
      return stage == Stage.PROBE ? List.of("probe.json") : List.of();
    }

    @Override
    public Map<String, Object> run(PlannedRun run, Stage stage) throws IOException {
      calls.add(stage.word());
      if (stage != Stage.PROBE) {
        return Map.of();
      }
      Files.createDirectories(Path.of(run.runFolder()));
      Files.writeString(Path.of(run.runFolder(), "probe.json"), "{\"auroc\":" + value + "}");
      if (fail) {
        throw new IllegalStateException("probe crashed");
      }
      return Map.of("probe_auroc", value);
    }
  }

  @Test
  void redoRunsOnlyTheEvaluationStageOfFinishedRunsAndKeepsTheEarlierOutputs()
      throws IOException {
    List<PlannedRun> runs = oneRunFinishedWithProbe(0.6);
    Path run = Path.of(runs.get(0).runFolder());

    ProbeWriting again = new ProbeWriting(0.9, false);
    List<Map<String, Object>> rows = new SweepRunner(again, new Configuration(), quiet())
        .run(runs, stages, sweepDir, null, java.util.Set.of(Stage.PROBE));
    assertEquals(List.of("probe"), again.calls, "training is not redone");
    assertEquals(0.9, rows.get(0).get("probe_auroc"));
    assertEquals("ok", rows.get(0).get("status"));
    assertTrue(Files.readString(run.resolve(SweepRunner.DONE)).contains("0.9"));
    Path superseded;
    try (var list = Files.list(run.resolve(SweepRunner.SUPERSEDED))) {
      superseded = list.findFirst().orElseThrow();
    }
    assertEquals("{\"auroc\":0.6}", Files.readString(superseded.resolve("probe.json")),
        "the earlier output is kept aside");

    List<Map<String, Object>> failed = new SweepRunner(new ProbeWriting(0.1, true),
        new Configuration(), quiet()).run(runs, stages, sweepDir, null,
            java.util.Set.of(Stage.PROBE));
    assertTrue(failed.get(0).get("status").toString().startsWith("failed: redo [probe]"),
        failed.get(0).toString());
    assertEquals("{\"auroc\":0.9}", Files.readString(run.resolve("probe.json")),
        "a failed redo puts the earlier output back");
    assertTrue(Files.readString(run.resolve(SweepRunner.DONE)).contains("0.9"));

    IllegalArgumentException train = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new SweepRunner(again, new Configuration(),
            quiet()).run(runs, stages, sweepDir, null, java.util.Set.of(Stage.TRAIN)));
    assertTrue(train.getMessage().contains("delete its folder"), train.getMessage());
  }

  @Test
  void aRunFinishedBeforeSettingsWereAddedIsReusedAndOneWithOtherSettingsIsNot()
      throws IOException {
    List<PlannedRun> runs = oneRunFinishedWithProbe(0.6);
    // what an earlier version left: no dataset.limit yet, so another fingerprint
    Path planned = Path.of(runs.get(0).runFolder());
    String earlierName = planned.getFileName().toString().replace(runs.get(0).hash(),
        "0123456789ab");
    Path earlier = Files.move(planned, planned.resolveSibling(earlierName));
    Files.writeString(earlier.resolve("config.conf"), runs.get(0).config()
        .withoutPath("dataset.limit").root().render());

    RecordingStages again = new RecordingStages();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<Map<String, Object>> rows = new SweepRunner(again, new Configuration(),
        new PrintStream(console)).run(runs, stages, sweepDir, null);
    assertEquals(List.of(), again.calls, "nothing trained again");
    assertEquals(0.6, rows.get(0).get("probe_auroc"));
    assertTrue(console.toString().contains("finished earlier as " + earlierName
        + " (settings added since are at their defaults), reused"), console.toString());

    ProbeWriting redo = new ProbeWriting(0.7, false);
    new SweepRunner(redo, new Configuration(), quiet()).run(runs, stages, sweepDir, null,
        java.util.Set.of(Stage.PROBE));
    assertEquals(List.of("probe"), redo.calls, "a reused run's evaluation can be redone");
    assertEquals("{\"auroc\":0.7}", Files.readString(earlier.resolve("probe.json")),
        "in its own folder");

    Files.writeString(earlier.resolve("config.conf"), runs.get(0).config()
        .withoutPath("dataset.limit").withValue("train.epochs",
            com.typesafe.config.ConfigValueFactory.fromAnyRef(3)).root().render());
    RecordingStages other = new RecordingStages();
    console.reset();
    new SweepRunner(other, new Configuration(), new PrintStream(console))
        .run(runs, stages, sweepDir, null);
    assertEquals(List.of("supmin/1/train", "supmin/1/probe"), other.calls);
    assertTrue(console.toString().contains(earlierName + " finished with other settings, not "
        + "reused: train.epochs = 3 in the finished run"), console.toString());
  }

  private final List<Stage> stages = List.of(Stage.TRAIN, Stage.PROBE);
  private org.apache.hadoop.fs.Path sweepDir;

  /** A sweep of one run, trained and probed (AUROC {@code auroc}) into {@code sweepDir}. */
  private List<PlannedRun> oneRunFinishedWithProbe(double auroc) throws IOException {
    List<PlannedRun> runs = SweepPlan.expand(SweepPlanTest.sweepOf(
        "sweep.datasets={ a { dataset.source = synthetic } }", "run.dir=" + dir,
        "sweep.ratios=[0.05]", "sweep.methods=[supmin]", "sweep.seeds=[1]"));
    sweepDir = new org.apache.hadoop.fs.Path(dir.resolve("t").toUri());
    new SweepRunner(new ProbeWriting(auroc, false), new Configuration(), quiet())
        .run(runs, stages, sweepDir, null);
    return runs;
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }
}
