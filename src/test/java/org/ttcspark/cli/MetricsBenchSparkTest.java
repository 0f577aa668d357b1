package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/**
 * {@code ttc metrics --bench N} on local[2] for the sizes in {@code -Dttc.bench.sizes}
 * (default 20000,50000,100000); prints time and peak heaps. Run with
 * {@code mvn -o test -Dtest=MetricsBenchSparkTest -Dttc.test.excludedGroups=cluster}.
 */
@Tag("bench")
@ExtendWith(SparkTestSession.class)
class MetricsBenchSparkTest {

  @Test
  void benchmarkPrintsTimeAndPeaks(SparkSession spark, @TempDir Path tmp) {
    for (String n : System.getProperty("ttc.bench.sizes", "20000,50000,100000").split(",")) {
      MainTest.Result r = MainTest.run("metrics", "--bench", n.trim(), "run.work-dir=" + tmp);
      System.out.print(r.out());
      assertEquals(Main.OK, r.code(), r.err());
      assertTrue(r.out().contains("driver peak heap"), r.out());
    }
  }
}
