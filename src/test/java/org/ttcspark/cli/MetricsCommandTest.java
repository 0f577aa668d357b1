package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Usage of {@code ttc metrics} and {@code ttc probe}, checked before Spark starts. */
class MetricsCommandTest {

  @Test
  void missingInputIsAUsageError() {
    MainTest.Result r = MainTest.run("metrics");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("ttc metrics needs one Parquet embeddings folder"), r.err());
  }

  @Test
  void viewsMustBeAPositiveInteger() {
    MainTest.Result r = MainTest.run("metrics", "--embeddings", "x.npy", "--labels", "y.npy",
        "--views", "two");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("--views must be a positive integer, got 'two'"), r.err());
  }

  @Test
  void npyAndFolderTogetherAreRejected() {
    MainTest.Result r = MainTest.run("metrics", "dir", "--embeddings", "x.npy");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("not both"), r.err());
  }

  @Test
  void referenceGoesWithBenchOnly() {
    MainTest.Result r = MainTest.run("metrics", "dir", "--reference", "/tmp/TTC");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("--reference and --python go with --bench N"), r.err());
    r = MainTest.run("metrics", "--bench", "10", "--python", "/usr/bin/python3");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("--python goes with --reference CHECKOUT"), r.err());
  }

  @Test
  void helpListsTheOptionsAndTheMetricsSettings() {
    MainTest.Result r = MainTest.run("metrics", "--help");
    assertEquals(Main.OK, r.code());
    assertTrue(r.out().contains("--embeddings X.npy") && r.out().contains("block-size"),
        r.out());
    r = MainTest.run("probe", "--help");
    assertTrue(r.out().contains("class-weights"), r.out());
  }

  @Test
  void probeNeedsExactlyOneFolder() {
    MainTest.Result r = MainTest.run("probe", "a", "b");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("ttc probe needs exactly one Parquet embeddings folder"),
        r.err());
  }
}
