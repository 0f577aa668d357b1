package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.data.Columns;
import org.ttcspark.testing.SparkTestSession;

/** {@code ttc prepare} in-process: a preset run, the benchmark mode and a bad-input exit code. */
@ExtendWith(SparkTestSession.class)
class PrepareCommandSparkTest {
  @TempDir
  java.nio.file.Path dir;

  @Test
  void preparesWithAPresetAndWritesTheRunFolder(SparkSession spark) throws Exception {
    MainTest.Result r = MainTest.run("prepare", "-c", "conf/dataset/synthetic.conf",
        "dataset.prepared=" + dir.resolve("out"), "dataset.synthetic.train-per-class=40",
        "dataset.synthetic.val-per-class=2", "dataset.synthetic.test-per-class=2",
        "dataset.synthetic.size=8", "run.dir=" + dir.resolve("runs"), "run.name=p");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("prepared "), r.out());
    assertTrue(Files.exists(dir.resolve("out").resolve(Columns.MANIFEST)));
    assertTrue(Files.exists(dir.resolve("runs/p/stages/prepare/prepare.json")));
    assertTrue(Files.exists(dir.resolve("runs/p/stages/prepare/config.conf")));
    assertFalse(Files.exists(dir.resolve("runs/p/config.conf")),
        "prepare records itself as a stage, never as the run's training record");
    assertTrue(Files.readString(dir.resolve("out").resolve(Columns.MANIFEST))
        .contains("\"1\" : 38"), "floor(40 * 0.95) majority rows");
  }

  @Test
  void benchPrintsImagesPerSecondAndPeakHeapAndLeavesNothing(SparkSession spark) {
    MainTest.Result r = MainTest.run("prepare", "--bench", "40", "prepare.bench-size=16",
        "run.work-dir=" + dir.resolve("work"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("40 synthetic 16x16 JPEGs"), r.out() + r.err());
    assertTrue(r.out().contains("images/s"), r.out());
    assertTrue(r.out().contains("peak driver heap"), r.out());
    String[] left = dir.resolve("work").toFile().list();
    assertTrue(left == null || left.length == 0, "bench output deleted: "
        + java.util.Arrays.toString(left));
  }

  @Test
  void badSourceExitsWithOneLineNamingIt(SparkSession spark) {
    MainTest.Result r = MainTest.run("prepare", "dataset.source=imagefolder",
        "dataset.path=" + dir.resolve("nowhere"), "dataset.prepared=" + dir.resolve("out"),
        "run.dir=" + dir.resolve("runs"));
    assertEquals(1, r.code());
    assertTrue(r.err().contains("nowhere/train does not exist"), r.err());
  }
}
