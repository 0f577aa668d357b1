package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/** {@code ttc bench engine.type=torch}: the torch step next to MKL-DNN's, each with its parts. */
@ExtendWith(SparkTestSession.class)
class BenchSyntheticSparkTest {
  private static final Pattern RESULT = Pattern.compile("engine (\\S+)[^:]*: ([0-9.]+) images/s "
      + "\\(2 iterations in ([0-9.]+) s after 1 warm-up\\).*\\n  per iteration: forward ([0-9.]+) "
      + "s, loss ([0-9.]+) s, backward ([0-9.]+) s, update ([0-9.]+) s");

  @TempDir
  Path dir;

  @Test
  void torchBenchPrintsBothEnginesAndTheirPhases(SparkSession spark) {
    MainTest.Result r = MainTest.run("bench", "engine.type=torch", "engine.device=cpu",
        "model.backbone=resnet18", "model.width=4", "model.projection-dim=8",
        "train.batch-size=4", "train.bench.warm-up=1", "train.bench.iterations=2", "--size", "16",
        "run.dir=" + dir.resolve("runs"));
    assertEquals(0, r.code(), r.err());
    Matcher m = RESULT.matcher(r.out());
    for (String engine : new String[] {"torch", "mkldnn"}) {
      assertTrue(m.find(), "no result with its phases for " + engine + ": " + r.out());
      assertEquals(engine, m.group(1));
      double seconds = Double.parseDouble(m.group(3));
      double parts = 0;
      for (int g = 4; g <= 7; g++) {
        parts += Double.parseDouble(m.group(g));
      }
      // the parts are of the measured iterations only (0.01 s: the printed roundings)
      assertTrue(parts > 0 && parts * 2 <= seconds + 0.01,
          engine + ": parts " + parts + " s per iteration, 2 iterations in " + seconds + " s");
    }
  }
}
