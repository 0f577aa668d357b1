package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.OptimState;
import org.ttcspark.train.bigdl.Pretrain;

/** {@code ttc pretrain} with {@code train.loss-scope = global}, end to end in local mode. */
@ExtendWith(SparkTestSession.class)
class GlobalPretrainSparkTest {
  @TempDir
  Path tmp;

  private Config config(Path data, String method, String runName, int epochs) {
    return PretrainSparkTest.config(tmp, data, method, runName, epochs,
        "train.loss-scope=global", "train.global.slices=2");
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true);
  }

  // As in PretrainSparkTest: un-augmented views, where 12 steps of SimCLR are not noise.
  @Test
  void lossFallsAndAResumedRunContinuesExactlyWithTheSavedMomentum(SparkSession spark)
      throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 32, 32, 7);
    Config config = config(data, "simclr", "straight", 3);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Checkpoint last = Pretrain.run(spark, config,
        RunFolder.create("pretrain", config, new Configuration()), false,
        new PrintStream(console, true));
    assertEquals(3, last.epoch());
    Path straight = tmp.resolve("runs").resolve("straight");
    List<JsonNode> rows = PretrainSparkTest.metrics(straight);
    assertEquals(12, rows.size(), "3 epochs x 4 iterations: 2 slices of 32 samples, 8 each");
    double first = PretrainSparkTest.meanLoss(rows, 1);
    double third = PretrainSparkTest.meanLoss(rows, 3);
    assertTrue(third < first - 0.05, "loss fell from " + first + " to " + third);
    assertTrue(console.toString().contains("ETA"), console.toString());
    Path epoch2 = straight.resolve("checkpoints/epoch-0002");
    assertNotNull(OptimState.read(new org.apache.hadoop.fs.Path(epoch2.toString()),
        new Configuration()), "the checkpoint holds the optimiser state");

    // The same run killed after epoch 2 and resumed: epoch 3 repeats the straight run's losses.
    Config resumed = config(data, "simclr", "killed", 3);
    Path killed = tmp.resolve("runs").resolve("killed");
    PretrainSparkTest.copyTree(epoch2, killed.resolve("checkpoints/epoch-0002"));
    Pretrain.run(spark, resumed, RunFolder.create("pretrain", resumed, new Configuration()), true,
        quiet());
    List<JsonNode> again = PretrainSparkTest.metrics(killed);
    assertEquals(4, again.size(), "only epoch 3 is trained again");
    for (int i = 0; i < 4; i++) {
      JsonNode a = rows.get(8 + i);
      JsonNode b = again.get(i);
      assertEquals(a.get("iteration").asInt(), b.get("iteration").asInt());
      assertEquals(a.get("lr").asDouble(), b.get("lr").asDouble(), 1e-12);
      assertEquals(a.get("loss").asDouble(), b.get("loss").asDouble(),
          1e-4 * a.get("loss").asDouble(), "iteration " + a.get("iteration"));
    }
  }

  @Test
  void sbclReclustersOnTheSameSlicesAndTheValidationLossIsLogged(SparkSession spark)
      throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("sbcl-data"), 16, 32, 32, 11);
    Config config = config(data, "sbcl", "sbcl", 2)
        .withValue("train.validation", ConfigValueFactory.fromAnyRef(true))
        .withValue("loss.sbcl.warm-up-epochs", ConfigValueFactory.fromAnyRef(1))
        .withValue("loss.sbcl.temperature", ConfigValueFactory.fromAnyRef(0.5))
        .withValue("loss.sbcl.base-temperature", ConfigValueFactory.fromAnyRef(0.5));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Checkpoint last = Pretrain.run(spark, config,
        RunFolder.create("pretrain", config, new Configuration()), false,
        new PrintStream(console, true));
    assertEquals(2, last.epoch());
    Path run = tmp.resolve("runs").resolve("sbcl");
    assertTrue(Files.isDirectory(run.resolve("subclasses/epoch-0002")),
        "clustered before epoch 2");
    List<JsonNode> rows = PretrainSparkTest.metrics(run);
    long trained = rows.stream().filter(PretrainSparkTest::iterationLine).count();
    List<JsonNode> val = rows.stream().filter(r -> r.has("val_loss")).toList();
    assertEquals(8, trained, "2 epochs x 4 iterations");
    assertEquals(2, val.size(), "one validation line per epoch: " + rows);
    for (JsonNode v : val) {
      assertTrue(v.get("val_loss").asDouble() > 0, v.toString());
    }
    assertTrue(console.toString().contains("validation loss"), console.toString());
  }

  @Test
  void aBatchThatDoesNotSplitOverTheSlicesFailsBeforeTraining(SparkSession spark)
      throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("small"), 16, 6, 6, 3);
    Config uneven = config(data, "supmin", "uneven", 1)
        .withValue("train.global.slices", ConfigValueFactory.fromAnyRef(3))
        .withValue("train.batch-size", ConfigValueFactory.fromAnyRef(8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pretrain.run(spark, uneven,
            RunFolder.create("pretrain", uneven, new Configuration()), false, quiet()));
    assertTrue(e.getMessage().contains("does not split over 3 slices"), e.getMessage());
  }
}
