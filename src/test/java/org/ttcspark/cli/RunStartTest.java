package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.ttcspark.platform.RunFolderState;

/** Issue 14, defect 1: how pretrain/train-ce may use a run folder, decided before Spark. */
class RunStartTest {
  private static final RunFolderState EMPTY = new RunFolderState(new Path("runs/base"), List.of());
  private static final RunFolderState STAGES_ONLY =
      new RunFolderState(new Path("runs/base"), List.of("stages"));
  private static final RunFolderState FINISHED = new RunFolderState(new Path("runs/base"),
      List.of("checkpoints", "config.conf", "metrics.jsonl", "provenance.json", "stages"));

  @Test
  void aNewFolderOrOneWithOnlyStageRecordsStartsFresh() {
    assertEquals(RunStart.FRESH, RunStart.decide("pretrain", EMPTY, false, false, false));
    assertEquals(RunStart.FRESH, RunStart.decide("pretrain", STAGES_ONLY, false, false, false));
  }

  @Test
  void issue14StartingOverAFinishedRunIsRefusedNamingTheWaysOn() {
    UsageException e = assertThrows(UsageException.class,
        () -> RunStart.decide("pretrain", FINISHED, false, false, true));
    assertTrue(e.getMessage().contains("run folder runs/base already holds a run (checkpoints, "
        + "config.conf, metrics.jsonl, provenance.json)"), e.getMessage());
    assertTrue(e.getMessage().contains("--resume") && e.getMessage().contains("new run.name")
        && e.getMessage().contains("run.overwrite=true"), e.getMessage());
  }

  @Test
  void overwriteReplacesAndResumeContinues() {
    assertEquals(RunStart.REPLACE, RunStart.decide("train-ce", FINISHED, false, true, true));
    assertEquals(RunStart.RESUME, RunStart.decide("pretrain", FINISHED, true, false, true));
  }

  @Test
  void resumeAndOverwriteTogetherAreRefused() {
    UsageException e = assertThrows(UsageException.class,
        () -> RunStart.decide("pretrain", FINISHED, true, true, true));
    assertTrue(e.getMessage().contains("give one of them"), e.getMessage());
  }

  @Test
  void resumeWithoutACheckpointSaysHowToStartAgain() {
    RunFolderState partial = new RunFolderState(new Path("runs/base"),
        List.of("config.conf", "metrics.jsonl", "provenance.json"));
    UsageException e = assertThrows(UsageException.class,
        () -> RunStart.decide("pretrain", partial, true, false, false));
    assertTrue(e.getMessage().contains("no complete checkpoint yet")
        && e.getMessage().contains("run.overwrite=true"), e.getMessage());
    UsageException none = assertThrows(UsageException.class,
        () -> RunStart.decide("pretrain", EMPTY, true, false, false));
    assertTrue(none.getMessage().contains("there is no run to continue in runs/base"),
        none.getMessage());
  }
}
