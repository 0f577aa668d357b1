package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/** {@code ttc bench --mode scaling}: the measured terms and a prediction row per scope and N. */
@ExtendWith(SparkTestSession.class)
class BenchScalingSparkTest {
  @TempDir
  Path dir;

  private static MainTest.Result bench(Path dir, String... extra) {
    String[] base = {"bench", "--mode", "scaling", "--size", "8", "model.width=4",
        "model.projection-dim=8", "train.batch-size=4", "train.bench.warm-up=0",
        "train.bench.iterations=1", "train.bench.scaling.compute-batches=[2,4]",
        "train.bench.scaling.executors=[1,2,4,8]", "run.dir=" + dir.resolve("runs")};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return MainTest.run(args);
  }

  @Test
  void printsTheMeasuredTermsAndPredictionsForBothScopes(SparkSession spark) {
    MainTest.Result r = bench(dir, "--bandwidth", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("compute: bare step"), r.out());
    assertTrue(r.out().contains("2 jobs per iteration in local scope, 3 in global"), r.out());
    assertTrue(r.out().contains("1.00 Gbit/s per executor"), r.out());
    // one executor in local mode: no all-reduce between executors to time
    assertFalse(r.out().contains("exchange over the"), r.out());
    // N = 8 does not split a batch of 4; local scope needs 2 samples per executor: left out
    assertTrue(r.out().contains("left out in local scope: [4, 8] executors"), r.out());
    assertTrue(r.out().contains("left out in global scope: [8] executors"), r.out());
    for (String scope : new String[] {"local", "global"}) {
      for (int n : scope.equals("local") ? new int[] {1, 2} : new int[] {1, 2, 4}) {
        Matcher m = Pattern.compile("(?m)^" + scope + " +" + n + " +" + (4 / n)
            + " .* ([0-9.]+) +([0-9]+)% ").matcher(r.out());
        assertTrue(m.find(), scope + " N=" + n + ": " + r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0, m.group());
        if (n == 1) {
          assertEquals("100", m.group(2), m.group());
        }
      }
      assertFalse(r.out().matches("(?s).*\\n" + scope + " +8 .*"), r.out());
      assertEquals(scope.equals("global"), r.out().matches("(?s).*\\n" + scope + " +4 .*"),
          r.out());
    }
  }

  @Test
  void rejectsANonNumericBandwidthAndTheTorchEngine(SparkSession spark) {
    MainTest.Result r = bench(dir, "--bandwidth", "fast");
    assertTrue(r.code() != 0, r.out());
    assertTrue(r.err().contains("--bandwidth"), r.err());
    MainTest.Result t = bench(dir, "engine.type=torch");
    assertTrue(t.code() != 0, t.out());
    assertTrue(t.err().contains("engine.type=mkldnn"), t.err());
  }
}
