package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.Pretrain;

/**
 * {@code ttc pretrain} with BCL and PaCo (global scope, heads on the driver) on a tiny
 * synthetic set: the loss falls over a short run, the plain encoder is checkpointed, and a run
 * resumed from a checkpoint continues exactly.
 */
@ExtendWith(SparkTestSession.class)
class BaselinePretrainSparkTest {
  @TempDir
  Path tmp;

  private Config config(Path data, String method, String... extra) {
    return PretrainSparkTest.config(tmp, data, method, method, 4, configArgs(extra));
  }

  private static String[] configArgs(String... extra) {
    String[] all = new String[extra.length + 5];
    all[0] = "train.loss-scope=global";
    all[1] = "train.global.slices=2";
    all[2] = "loss.temperature=0.2";
    all[3] = "train.learning-rate=0.1";
    all[4] = "train.checkpoints.keep-every=2"; // epoch 2 stays to resume from
    System.arraycopy(extra, 0, all, 5, extra.length);
    return all;
  }

  private void lossFalls(SparkSession spark, String method, String... extra) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data-" + method), 16, 32, 32, 7);
    Config config = config(data, method, extra);
    Checkpoint last = Pretrain.run(spark, config,
        RunFolder.create("pretrain", config, new Configuration()), false,
        new PrintStream(new ByteArrayOutputStream(), true));
    assertEquals(4, last.epoch());
    assertEquals(method, last.method());
    List<JsonNode> rows = PretrainSparkTest.metrics(tmp.resolve("runs").resolve(method));
    double first = PretrainSparkTest.meanLoss(rows, 1);
    double fourth = PretrainSparkTest.meanLoss(rows, 4);
    assertTrue(fourth < first - 0.02, method + ": loss went from " + first + " to " + fourth);

    // The same run killed after epoch 2 and resumed: the heads, the queue and the key encoder
    // come back from the checkpoint, so epochs 3 and 4 repeat the straight run's losses.
    Path straight = tmp.resolve("runs").resolve(method);
    Path epoch2 = straight.resolve("checkpoints/epoch-0002");
    Config resumed = PretrainSparkTest.config(tmp, data, method, method + "-resumed", 4,
        configArgs(extra));
    PretrainSparkTest.copyTree(epoch2, tmp.resolve("runs").resolve(method + "-resumed")
        .resolve("checkpoints/epoch-0002"));
    Pretrain.run(spark, resumed, RunFolder.create("pretrain", resumed, new Configuration()),
        true, new PrintStream(new ByteArrayOutputStream(), true));
    List<JsonNode> straightLines = rows.stream().filter(PretrainSparkTest::iterationLine)
        .toList();
    List<JsonNode> again = PretrainSparkTest.metrics(tmp.resolve("runs")
        .resolve(method + "-resumed")).stream().filter(PretrainSparkTest::iterationLine)
        .toList();
    assertEquals(straightLines.size() / 2, again.size(), "only epochs 3 and 4 again");
    for (int i = 0; i < again.size(); i++) {
      JsonNode a = straightLines.get(straightLines.size() - again.size() + i);
      JsonNode b = again.get(i);
      assertEquals(a.get("iteration").asInt(), b.get("iteration").asInt());
      assertEquals(a.get("loss").asDouble(), b.get("loss").asDouble(),
          1e-4 * Math.abs(a.get("loss").asDouble()), method + " iteration "
              + a.get("iteration"));
    }
  }

  @Test
  void bclLossFalls(SparkSession spark) throws Exception {
    lossFalls(spark, "bcl");
  }

  @Test
  void pacoLossFalls(SparkSession spark) throws Exception {
    lossFalls(spark, "paco", "loss.paco.queue-size=32", "loss.paco.alpha=0.5",
        "loss.paco.momentum=0.9");
  }

  @Test
  void bclNeedsTheGlobalScope(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 32, 32, 7);
    Config config = PretrainSparkTest.config(tmp, data, "bcl", "local", 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pretrain.run(spark, config, RunFolder.create("pretrain", config,
            new Configuration()), false, new PrintStream(new ByteArrayOutputStream(), true)));
    assertTrue(e.getMessage().contains("train.loss-scope = global"), e.getMessage());
  }
}
