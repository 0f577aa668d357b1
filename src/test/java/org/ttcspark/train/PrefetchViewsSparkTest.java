package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * train.prefetch-views draws the same views, only earlier: a run logs the same loss at every
 * iteration with it and without it, in both loss scopes, across an epoch boundary.
 */
@ExtendWith(SparkTestSession.class)
class PrefetchViewsSparkTest {
  @TempDir
  static Path tmp;
  static Path data;

  @BeforeAll
  static void data() throws Exception {
    data = SyntheticPrepared.write(SparkTestSession.session(), tmp.resolve("data"), 16, 12, 12,
        3);
  }

  private static List<Double> losses(SparkSession spark, String scope, boolean prefetch)
      throws Exception {
    String name = scope + "-" + prefetch;
    Config c = PretrainSparkTest.config(tmp, data, "supcon", name, 2, "augment.recipe=simclr",
        "train.batch-size=8", "train.loss-scope=" + scope, "train.prefetch-views=" + prefetch);
    return PretrainSparkTest.pretrainQuietly(spark, tmp, c, name).stream()
        .filter(PretrainSparkTest::iterationLine).map(r -> r.get("loss").asDouble()).toList();
  }

  private static void assertSame(List<Double> off, List<Double> on) {
    assertEquals(6, off.size(), "2 epochs x 3 iterations of 8 out of 24 samples");
    // same process, same cores: MKL-DNN's rounding is the same, so the losses are bit-identical
    assertEquals(off, on);
  }

  @Test
  void localScopeLossesAreTheSameWithAndWithoutPrefetch(SparkSession spark) throws Exception {
    assertSame(losses(spark, "local", false), losses(spark, "local", true));
  }

  @Test
  void globalScopeLossesAreTheSameWithAndWithoutPrefetch(SparkSession spark) throws Exception {
    assertSame(losses(spark, "global", false), losses(spark, "global", true));
  }
}
