package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/**
 * A tiny real sweep (synthetic data, two methods, real training) through {@code ttc sweep}; one
 * run is then made to look crashed and the sweep started again.
 */
@ExtendWith(SparkTestSession.class)
class SweepCommandSparkTest {
  @TempDir
  Path tmp;

  private MainTest.Result sweep() {
    List<String> args = new ArrayList<>(List.of("sweep", "run.dir=" + tmp,
        "run.work-dir=" + tmp.resolve("work"), "sweep.name=tiny",
        "sweep.datasets={ s { dataset.source = synthetic } }", "sweep.ratios=[0.25]",
        "sweep.methods=[supmin, ce]", "sweep.seeds=[1]",
        "sweep.stages=[prepare, train, embed, probe, finetune, metrics]",
        "sweep.overrides={ finetune { epochs = 1, batch-size = 8 },  dataset.synthetic { train-per-class = 24, val-per-class = 8, "
            + "test-per-class = 8, size = 16 }, model { backbone = resnet18, width = 4, "
            + "projection-dim = 8 }, train { batch-size = 8, epochs = 1 } }"));
    return MainTest.run(args.toArray(new String[0]));
  }

  @Test
  void aSweepRunsEveryStageAndARestartRedoesOnlyTheUnfinishedRun(SparkSession spark)
      throws Exception {
    MainTest.Result first = sweep();
    assertEquals(0, first.code(), first.err() + first.out());
    Path runs = tmp.resolve("tiny/runs");
    List<Path> folders;
    try (var list = Files.list(runs)) {
      folders = list.sorted().toList();
    }
    assertEquals(2, folders.size());
    Path ce = folders.stream().filter(f -> f.getFileName().toString().contains("-ce-"))
        .findFirst().orElseThrow();
    Path supmin = folders.stream().filter(f -> f.getFileName().toString().contains("-supmin-"))
        .findFirst().orElseThrow();
    assertTrue(Files.exists(supmin.resolve("metrics.json")) && Files.exists(ce.resolve(
        "probe.json")), "every stage wrote its result");
    FileTime finishedAt = Files.getLastModifiedTime(supmin.resolve("result.json"));
    Files.delete(ce.resolve("result.json")); // as if the process died before the run finished

    MainTest.Result second = sweep();
    assertEquals(0, second.code(), second.err());
    assertTrue(second.out().contains("method=supmin seed=1: finished earlier, skipped"),
        second.out());
    assertEquals(finishedAt, Files.getLastModifiedTime(supmin.resolve("result.json")));
    assertTrue(Files.exists(ce.resolve("result.json")), "the unfinished run was redone");
    List<String> csv = Files.readAllLines(tmp.resolve("tiny/results.csv"));
    assertEquals(3, csv.size(), "header and one row per run, no duplicates: " + csv);
    assertTrue(csv.stream().skip(1).allMatch(l -> l.contains(",ok,")), csv.toString());
    List<String> header = List.of(csv.get(0).split(","));
    int finetuneAuroc = header.indexOf("finetune_auroc");
    assertTrue(finetuneAuroc >= 0, "the finetune stage adds its columns: " + header);
    for (String row : csv.subList(1, csv.size())) {
      double auroc = Double.parseDouble(row.split(",", -1)[finetuneAuroc]);
      assertTrue(auroc >= 0 && auroc <= 1, "every run was fine-tuned and scored: " + row);
    }
    assertTrue(Files.readString(tmp.resolve("tiny/report.html")).contains("<svg"));
    assertEquals(2, spark.read().parquet(tmp.resolve("tiny/results.parquet").toString()).count());
  }
}
