package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/**
 * Issue 14, defect 3: two runs with the same resolved configuration, seed and data log the
 * same losses, iteration by iteration, in both loss scopes. On the same machine and core count
 * they are bit-identical; {@link #TOLERANCE} leaves room for MKL's run-to-run rounding only
 * (README, "Reproducibility and checkpoints"). Before the data order was seeded, iteration 1
 * already differed by 8 % (2.645 against 2.846), because BigDL drew each batch from an
 * unseeded permutation at a random offset.
 */
@ExtendWith(SparkTestSession.class)
class ReproducibleRunSparkTest {
  /** Largest relative difference allowed between the two runs' losses at any iteration. */
  static final double TOLERANCE = 1e-5;

  @TempDir
  static Path tmp;
  static Path data;

  @BeforeAll
  static void data() throws Exception {
    data = SyntheticPrepared.write(SparkTestSession.session(), tmp.resolve("data"), 16, 24, 24,
        11);
  }

  // The issue's reproduction: SupMin, the simclr recipe (random crops, flips, colour), SupMin's
  // random majority subset, two epochs, so that the second epoch's order and views count too.
  private static List<JsonNode> run(SparkSession spark, String name, String scope)
      throws Exception {
    Config c = PretrainSparkTest.config(tmp, data, "supmin", name, 2, "augment.recipe=simclr",
        "loss.minority-class=0", "loss.ratio-supervised-majority=0.5", "train.batch-size=8",
        "train.loss-scope=" + scope);
    return PretrainSparkTest.pretrainQuietly(spark, tmp, c, name);
  }

  private static void assertSameLosses(List<JsonNode> a, List<JsonNode> b) {
    assertEquals(12, a.size(), "2 epochs x 6 iterations of 8 out of 48 samples");
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      double x = a.get(i).get("loss").asDouble();
      double y = b.get(i).get("loss").asDouble();
      assertEquals(a.get(i).get("iteration").asInt(), b.get(i).get("iteration").asInt());
      assertTrue(Math.abs(x - y) <= TOLERANCE * Math.abs(x), "iteration "
          + a.get(i).get("iteration") + ": loss " + x + " in the first run, " + y
          + " in the second (relative tolerance " + TOLERANCE + ")");
    }
  }

  @Test
  void issue14SameSeedSameLossesInLocalScope(SparkSession spark) throws Exception {
    assertSameLosses(run(spark, "local-1", "local"), run(spark, "local-2", "local"));
  }

  @Test
  void issue14SameSeedSameLossesInGlobalScope(SparkSession spark) throws Exception {
    assertSameLosses(run(spark, "global-1", "global"), run(spark, "global-2", "global"));
  }
}
