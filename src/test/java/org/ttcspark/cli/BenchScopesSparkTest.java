package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/** {@code ttc bench --mode dataset --scopes local,global}: both scopes and the overhead. */
@ExtendWith(SparkTestSession.class)
class BenchScopesSparkTest {
  @TempDir
  Path dir;

  @Test
  void datasetModeMeasuresBothScopesAndPrintsTheOverhead(SparkSession spark) {
    String prepared = "dataset.prepared=" + dir.resolve("data");
    MainTest.Result p = MainTest.run("prepare", "-c", "conf/dataset/synthetic.conf", prepared,
        "dataset.synthetic.train-per-class=32", "dataset.synthetic.val-per-class=2",
        "dataset.synthetic.test-per-class=2", "dataset.synthetic.size=16",
        "run.dir=" + dir.resolve("runs"), "run.name=p");
    assertEquals(0, p.code(), p.err());
    MainTest.Result r = MainTest.run("bench", "--mode", "dataset", "--scopes", "local,global",
        prepared, "model.width=4", "model.projection-dim=8", "train.batch-size=8",
        "train.bench.warm-up=1", "loss.method=supmin", "run.dir=" + dir.resolve("runs"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("scope local on 1 executor(s): "), r.out());
    assertTrue(r.out().contains("scope global on 1 executor(s): "), r.out());
    assertTrue(r.out().matches("(?s).*global scope overhead: -?[0-9.]+ %.*"), r.out());
    assertTrue(r.out().matches("(?s).*scope global on 1 executor\\(s\\): [0-9.]+ images/s \\([0-9]+ "
        + "iterations in [0-9.]+ s after 1 warm-up.*"), r.out());
    assertTrue(r.out().matches("(?s).*per iteration [0-9.]+ s \\(median [0-9.]+ s\\), forward "
        + "[0-9.]+ s, loss [0-9.]+ s, backward [0-9.]+ s, update [0-9.]+ s[,;].*"),
        "global scope's phases: " + r.out());
    assertTrue(r.out().matches("(?s).*bare step, same model and batch, this process: [0-9.]+ "
        + "images/s before, [0-9.]+ after, mean [0-9.]+; local scope [0-9]+ % of it; global "
        + "scope [0-9]+ % of it.*"), r.out());
  }
}
