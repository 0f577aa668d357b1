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
    List<PlannedRun> runs = SweepPlan.expand(SweepPlanTest.sweep("run.dir=" + dir,
        "sweep.datasets={ a { dataset.source = synthetic } }", "sweep.ratios=[0.05]"));
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
    List<PlannedRun> runs = SweepPlan.expand(SweepPlanTest.sweep("run.dir=" + dir,
        "sweep.datasets={ a { dataset.source = synthetic } }", "sweep.ratios=[0.05]",
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

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }
}
