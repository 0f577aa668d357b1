package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.embed.EmbeddingColumns;
import org.ttcspark.platform.Json;
import org.ttcspark.testing.SparkTestSession;

/**
 * The whole chain through the commands as a user types them: prepare (synthetic) → pretrain →
 * embed (1 and 2 views) → probe → metrics, on a tiny ResNet-18 for one epoch.
 */
@ExtendWith(SparkTestSession.class)
class PipelineSparkTest {
  @TempDir
  Path tmp;

  private List<String> common() {
    return List.of("run.dir=" + tmp.resolve("runs"), "run.work-dir=" + tmp.resolve("work"),
        "dataset.source=synthetic", "dataset.prepared=" + tmp.resolve("prepared"),
        "dataset.ratios=[0.25, 0.75]", "dataset.synthetic.train-per-class=32",
        "dataset.synthetic.val-per-class=8", "dataset.synthetic.test-per-class=8",
        "dataset.synthetic.size=16", "model.backbone=resnet18", "model.width=4",
        "model.projection-dim=8", "train.batch-size=8", "train.epochs=1", "run.name=p1",
        "loss.minority-class=0", "engine.inference-batch=16");
  }

  private MainTest.Result ttc(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(common());
    args.addAll(List.of(extra));
    return MainTest.run(args.toArray(new String[0]));
  }

  @Test
  void prepareTrainEmbedProbeAndMetricsChainThroughTheCommands(SparkSession spark)
      throws Exception {
    assertEquals(0, ttc("prepare").code(), "prepare");
    MainTest.Result pretrain = ttc("pretrain", "loss.method=supmin");
    assertEquals(0, pretrain.code(), pretrain.err());

    MainTest.Result embed = ttc("embed");
    assertEquals(0, embed.code(), embed.err());
    Path embeddings = tmp.resolve("runs/p1/embeddings");
    List<Row> rows = spark.read().parquet(embeddings.toString()).collectAsList();
    assertEquals(2 * 8 + 2 * 8 + (8 + 24), rows.size(), "every image of every split, once");
    Row first = rows.get(0);
    assertEquals(32, first.getList(first.fieldIndex(EmbeddingColumns.FEATURE)).size(),
        "ResNet-18 ends with 8 x width = 32 channels, pooled");
    List<Object> projection = first.getList(first.fieldIndex(EmbeddingColumns.PROJECTION));
    double norm = 0;
    for (Object v : projection) {
      norm += Math.pow(((Number) v).doubleValue(), 2);
    }
    assertEquals(1.0, norm, 1e-4, "projections are unit length");

    MainTest.Result probe = ttc("probe", "--embeddings-dir", embeddings.toString());
    assertEquals(0, probe.code(), probe.err());
    JsonNode p = Json.MAPPER.readTree(Files.readString(tmp.resolve("runs/p1/probe.json")));
    assertTrue(p.path("test").path("balanced_accuracy").isNumber(), p.toString());

    Path twoViews = tmp.resolve("two-views");
    assertEquals(0, ttc("embed", "embed.views=2", "embed.splits=[test]",
        "embed.output=" + twoViews).code());
    MainTest.Result metrics = ttc("metrics", "--embeddings-dir", twoViews.toString(),
        "--out", tmp.resolve("m.json").toString());
    assertEquals(0, metrics.code(), metrics.err());
    JsonNode m = Json.MAPPER.readTree(Files.readString(tmp.resolve("m.json")));
    assertEquals(32, m.get("n").asInt(), "16 test images x 2 views");
    assertEquals(2, m.get("views").asInt());
    assertTrue(m.path("saa").path("0").isNumber() && m.path("cac").path("1").isNumber(),
        m.toString());
  }

  @Test
  void embedWithoutATrainedRunSaysWhatToSet() {
    MainTest.Result r = MainTest.run(new String[] {"embed", "run.dir=" + tmp, "run.name="});
    assertEquals(2, r.code());
    assertTrue(r.err().contains("set run.name=<run>"), r.err());
  }
}
