package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import org.ttcspark.train.bigdl.DistriTrainer;
import org.ttcspark.train.bigdl.Pretrain;

/**
 * Issue 13: both trainers log the batch statistics in every iteration line, report collapse
 * through the detector, and evaluate online after every epoch. The detector's thresholds are
 * opened up here (any loss, any cosine) so that the plumbing fires on a short run; what counts
 * as collapsed is tested in {@link CollapseDetectorTest}.
 */
@ExtendWith(SparkTestSession.class)
class CollapseMonitoringSparkTest {
  @TempDir
  Path tmp;

  private List<JsonNode> run(SparkSession spark, Path data, String name, String scope,
      ByteArrayOutputStream console) throws Exception {
    Config config = PretrainSparkTest.config(tmp, data, "supcon", name, 2,
        "train.loss-scope=" + scope, "train.online-eval.enabled=true", "train.online-eval.k=5",
        "train.collapse.loss-tolerance=1", "train.collapse.cosine-threshold=-1",
        "train.collapse.patience=2");
    Pretrain.run(spark, config, RunFolder.create("pretrain", config, new Configuration()), false,
        new PrintStream(console, true));
    return PretrainSparkTest.metrics(tmp.resolve("runs").resolve(name));
  }

  @Test
  void issue13BothScopesLogBatchStatisticsCollapseEventsAndOnlineEvaluation(SparkSession spark)
      throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 16, 16, 7);
    int copies = DistriTrainer.partitions() * DistriTrainer.replicasPerPartition();
    for (String scope : List.of("local", "global")) {
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      List<JsonNode> rows = run(spark, data, "monitor-" + scope, scope, console);
      List<JsonNode> iterations = rows.stream().filter(PretrainSparkTest::iterationLine).toList();
      assertEquals(4, iterations.size(), scope + ": 2 epochs x 2 iterations");
      // the loss sees the slice of one model copy in local scope, the batch of 16 in global
      int b = scope.equals("local") ? 16 / copies : 16;
      for (JsonNode r : iterations) {
        assertEquals(Math.log(2 * b - 1), r.get("collapsed_loss").asDouble(), 1e-9,
            scope + ": " + r);
        double cos = r.get("batch_mean_cosine").asDouble();
        assertTrue(cos > -1 && cos <= 1 && r.get("batch_mean_cosine").isNumber(), r.toString());
      }
      List<JsonNode> collapses = rows.stream()
          .filter(r -> "collapse".equals(r.path("event").asText())).toList();
      assertEquals(2, collapses.size(), scope + ": once per epoch, from the 2nd iteration");
      assertEquals(2, collapses.get(0).get("iteration").asInt(), collapses.toString());
      // the streak goes on: the first iteration of epoch 2 fires again
      assertEquals(3, collapses.get(1).get("iteration").asInt(), collapses.toString());
      assertTrue(console.toString().contains("WARNING: collapse at epoch 1 iteration 2"),
          console.toString());
      List<JsonNode> online = rows.stream()
          .filter(r -> "online_eval".equals(r.path("event").asText())).toList();
      assertEquals(2, online.size(), scope + ": one per epoch " + rows);
      for (JsonNode o : online) {
        for (String key : List.of("knn_accuracy", "knn_balanced_accuracy", "knn_auroc")) {
          double v = o.get(key).asDouble();
          assertTrue(v >= 0 && v <= 1, key + " " + o);
        }
        assertEquals(32, o.get("knn_samples").asInt(), "every val image: " + o);
        assertTrue(o.has("subtype_knn_accuracy") && o.get("subtype_knn_accuracy").isNull(),
            "the synthetic fixture has no sub-types: " + o);
        assertNotNull(o.get("iteration"));
      }
      assertTrue(console.toString().contains("online k-NN (32 val samples)"), console.toString());
    }
  }
}
