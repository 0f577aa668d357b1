package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.Pretrain;

@ExtendWith(SparkTestSession.class)
class PretrainSparkTest {
  @TempDir
  Path tmp;

  private Config config(Path data, String method, String runName, int epochs) {
    return config(tmp, data, method, runName, epochs);
  }

  /** A small, fast pretraining of {@code data} into {@code tmp/runs/runName}. */
  static Config config(Path tmp, Path data, String method, String runName, int epochs,
      String... extra) {
    // online evaluation adds a line and a job per epoch; the tests that want it turn it on
    List<String> overrides = new ArrayList<>(List.of("train.online-eval.enabled=false",
        "model.backbone=resnet18",
        "model.width=4", "model.projection-dim=16", "train.batch-size=16",
        "train.epochs=" + epochs, "train.warm-up-epochs=1", "train.learning-rate=0.05",
        "loss.method=" + method, "run.dir=" + tmp.resolve("runs"), "run.name=" + runName,
        "loss.temperature=0.5", "loss.base-temperature=0.5", "augment.recipe=none"));
    overrides.addAll(List.of(extra));
    return ConfigLoader.load(List.of(), overrides)
        .withValue("dataset.prepared", ConfigValueFactory.fromAnyRef(data.toString()));
  }

  /** Pretrains {@code c} (run {@code name} under {@code tmp/runs}) quietly; its metrics log. */
  static List<JsonNode> pretrainQuietly(SparkSession spark, Path tmp, Config c, String name)
      throws Exception {
    Pretrain.run(spark, c, RunFolder.create("pretrain", c, new Configuration()), false,
        new PrintStream(new ByteArrayOutputStream(), true));
    return metrics(tmp.resolve("runs").resolve(name));
  }

  static List<JsonNode> metrics(Path run) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      rows.add(Json.MAPPER.readTree(line));
    }
    return rows;
  }

  /** A training iteration's line (not validation, collapse or online-evaluation). */
  static boolean iterationLine(JsonNode r) {
    return r.has("loss") && !r.has("event");
  }

  static double meanLoss(List<JsonNode> rows, int epoch) {
    return rows.stream().filter(r -> iterationLine(r) && r.get("epoch").asInt() == epoch)
        .mapToDouble(r -> r.get("loss").asDouble()).average().orElseThrow();
  }

  // SimCLR on un-augmented views (augment.recipe = none): the loss must fall within 12 steps
  // whatever the thread timing. With random crops, 12 steps of a width-4 net are noise, and
  // SupCon on this two-class data may converge to the collapsed value log(2B - 1).
  @Test
  void simclrLossFallsCheckpointsEveryEpochAndResumesAtTheSavedEpochAndRate(SparkSession spark)
      throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 32, 32, 7);
    Config config = config(data, "simclr", "simclr", 3);
    RunFolder run = RunFolder.create("pretrain", config, new Configuration());
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Checkpoint last = Pretrain.run(spark, config, run, false, new PrintStream(console, true));
    assertEquals(3, last.epoch());
    Path runDir = tmp.resolve("runs").resolve("simclr");
    List<JsonNode> rows = metrics(runDir);
    assertEquals(12, rows.size(), "3 epochs x 4 iterations of 16 out of 64 samples");
    double first = meanLoss(rows, 1);
    double lastLoss = meanLoss(rows, 3);
    assertTrue(lastLoss < first - 0.05, "loss fell from " + first + " to " + lastLoss);
    assertTrue(Files.exists(runDir.resolve("checkpoints/epoch-0003/model.bigdl")));
    assertTrue(console.toString().contains("ETA"), console.toString());

    // A run killed after epoch 2: its folder holds checkpoints up to epoch 2 only, and the
    // metrics of those epochs written through Hadoop's checksummed local file system.
    Config resumed = config(data, "simclr", "killed", 3);
    Path killedDir = tmp.resolve("runs").resolve("killed");
    copyTree(runDir.resolve("checkpoints/epoch-0002"),
        killedDir.resolve("checkpoints/epoch-0002"));
    Configuration hadoop = new Configuration();
    org.apache.hadoop.fs.Path killedMetrics =
        new org.apache.hadoop.fs.Path(killedDir.resolve("metrics.jsonl").toUri());
    String twoEpochs = String.join("\n",
        Files.readAllLines(runDir.resolve("metrics.jsonl")).subList(0, 8)) + "\n";
    // issue14: the kill tore the line being written; the resumed run must not append to it
    try (var out = org.apache.hadoop.fs.FileSystem.getLocal(hadoop).create(killedMetrics)) {
      out.write((twoEpochs + "{\"iteration\":9,\"ep")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    RunFolder killed = RunFolder.create("pretrain", resumed, hadoop);
    Checkpoint end = Pretrain.run(spark, resumed, killed, true, new PrintStream(console, true));
    assertEquals(3, end.epoch());
    List<JsonNode> again = metrics(killedDir);
    assertEquals(12, again.size(), "epochs 1-2 kept, only epoch 3 trained again and appended");
    assertTrue(org.ttcspark.platform.HadoopFiles.readString(killedMetrics, hadoop)
        .startsWith(twoEpochs), "the log reads back through Hadoop after the append");
    JsonNode firstResumed = again.get(8);
    JsonNode original = rows.get(8);
    assertEquals(3, firstResumed.get("epoch").asInt());
    assertEquals(original.get("iteration").asInt(), firstResumed.get("iteration").asInt());
    assertEquals(original.get("lr").asDouble(), firstResumed.get("lr").asDouble(), 1e-9);
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
