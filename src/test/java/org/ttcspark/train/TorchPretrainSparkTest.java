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
 * {@code ttc pretrain engine.type=torch}: PyTorch computes the slices, BigDL exchanges and
 * updates; the loss falls, and a run resumes on the other engine (one checkpoint format).
 */
@ExtendWith(SparkTestSession.class)
class TorchPretrainSparkTest {
  @TempDir
  Path tmp;

  private Config config(Path data, String runName, int epochs, String engine) {
    return PretrainSparkTest.config(tmp, data, "simclr", runName, epochs,
        "train.loss-scope=global", "train.global.slices=2", "engine.type=" + engine);
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true);
  }

  private void copyEpoch(String from, String to, int epoch) throws Exception {
    String e = String.format("checkpoints/epoch-%04d", epoch);
    PretrainSparkTest.copyTree(tmp.resolve("runs").resolve(from).resolve(e),
        tmp.resolve("runs").resolve(to).resolve(e));
  }

  @Test
  void lossFallsAndTheRunResumesOnBigdlAndBack(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 32, 32, 7);
    Config config = config(data, "torch", 3, "torch");
    Checkpoint last = Pretrain.run(spark, config,
        RunFolder.create("pretrain", config, new Configuration()), false, quiet());
    assertEquals(3, last.epoch());
    List<JsonNode> rows = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("torch"));
    assertEquals(12, rows.size(), "3 epochs x 4 iterations");
    double first = PretrainSparkTest.meanLoss(rows, 1);
    double third = PretrainSparkTest.meanLoss(rows, 3);
    assertTrue(third < first - 0.05, "loss fell from " + first + " to " + third);

    // Epochs 1-2 on torch, epoch 3 resumed on BigDL (MKL-DNN): it starts from the torch
    // weights, so its loss is the torch run's epoch 3, not a fresh model's epoch 1.
    copyEpoch("torch", "to-bigdl", 2);
    Config onBigdl = config(data, "to-bigdl", 3, "mkldnn");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Pretrain.run(spark, onBigdl, RunFolder.create("pretrain", onBigdl, new Configuration()),
        true, new PrintStream(console, true));
    List<JsonNode> resumed = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("to-bigdl"));
    assertEquals(4, resumed.size(), "only epoch 3 is trained again");
    double bigdlThird = PretrainSparkTest.meanLoss(resumed, 3);
    assertTrue(Math.abs(bigdlThird - third) < Math.abs(first - third) / 2,
        "epoch 3 on BigDL " + bigdlThird + ", on torch " + third + ", epoch 1 " + first);

    // And back: the BigDL checkpoint of epoch 3 resumes on torch for a 4th epoch.
    Config back = config(data, "to-bigdl", 4, "torch");
    Checkpoint fourth = Pretrain.run(spark, back,
        RunFolder.create("pretrain", back, new Configuration()), true, quiet());
    assertEquals(4, fourth.epoch());
    double bigdlFourth = PretrainSparkTest.meanLoss(
        PretrainSparkTest.metrics(tmp.resolve("runs").resolve("to-bigdl")), 4);
    assertTrue(bigdlFourth < first - 0.05, "epoch 4 on torch " + bigdlFourth);
  }

  /**
   * PaCo on torch for 3 epochs; its epoch-2 checkpoint (heads, key queue and the torch key
   * encoder's {@code key-encoder.bin}) resumes on BigDL. The first iteration after the resume
   * is computed before any update, from the checkpoint alone, so it must repeat the torch
   * run's loss (MKL-DNN restarts the SGD momentum, so later iterations drift apart).
   */
  @Test
  void pacoOnTorchResumesOnBigdl(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("paco-data"), 16, 32, 32, 7);
    String[] paco = {"train.loss-scope=global", "train.global.slices=2",
        "loss.temperature=0.2", "train.learning-rate=0.1", "train.checkpoints.keep-every=2",
        "loss.paco.queue-size=32", "loss.paco.alpha=0.5", "loss.paco.momentum=0.9"};
    Config onTorch = PretrainSparkTest.config(tmp, data, "paco", "paco-torch", 3,
        with(paco, "engine.type=torch"));
    Pretrain.run(spark, onTorch, RunFolder.create("pretrain", onTorch, new Configuration()),
        false, quiet());
    List<JsonNode> straight = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("paco-torch"))
        .stream().filter(PretrainSparkTest::iterationLine).toList();
    double first = PretrainSparkTest.meanLoss(straight, 1);
    double third = PretrainSparkTest.meanLoss(straight, 3);
    assertTrue(third < first, "paco on torch: loss went from " + first + " to " + third);

    // key-encoder.bin as an earlier version wrote it (no layout mark: the writing engine's
    // layout) is refused on another engine, naming the one to resume on
    copyEpoch("paco-torch", "paco-old", 2);
    Path keyFile = tmp.resolve("runs/paco-old/checkpoints/epoch-0002/key-encoder.bin");
    byte[] bytes = java.nio.file.Files.readAllBytes(keyFile);
    java.nio.file.Files.write(keyFile, java.util.Arrays.copyOfRange(bytes, 4, bytes.length));
    java.nio.file.Files.deleteIfExists(keyFile.resolveSibling(".key-encoder.bin.crc"));
    Config old = PretrainSparkTest.config(tmp, data, "paco", "paco-old", 3,
        with(paco, "engine.type=mkldnn"));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Pretrain.run(spark, old, RunFolder.create("pretrain", old, new Configuration()),
            true, quiet()));
    assertTrue(refused.getMessage().contains("resume it with engine.type = mklblas"),
        refused.getMessage());

    copyEpoch("paco-torch", "paco-bigdl", 2);
    Config onBigdl = PretrainSparkTest.config(tmp, data, "paco", "paco-bigdl", 3,
        with(paco, "engine.type=mkldnn"));
    Pretrain.run(spark, onBigdl, RunFolder.create("pretrain", onBigdl, new Configuration()),
        true, quiet());
    List<JsonNode> resumed = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("paco-bigdl"))
        .stream().filter(PretrainSparkTest::iterationLine).toList();
    assertEquals(straight.size() / 3, resumed.size(), "only epoch 3 is trained again");
    JsonNode a = straight.get(straight.size() - resumed.size());
    JsonNode b = resumed.get(0);
    assertEquals(a.get("iteration").asInt(), b.get("iteration").asInt());
    double loss = a.get("loss").asDouble();
    assertEquals(loss, b.get("loss").asDouble(), 1e-3 * Math.abs(loss),
        "the first iteration after the resume on BigDL repeats torch's");
    double bigdlThird = PretrainSparkTest.meanLoss(resumed, 3);
    assertTrue(Math.abs(bigdlThird - third) < Math.abs(first - third),
        "epoch 3 on BigDL " + bigdlThird + ", on torch " + third + ", epoch 1 " + first);
  }

  /**
   * BCL (three views, the driver's classifier and centre head) on torch for 3 epochs, and the
   * same run resumed from its epoch-2 checkpoint on torch: epoch 3 repeats the straight run.
   */
  @Test
  void bclOnTorchResumesExactly(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("bcl-data"), 16, 32, 32, 7);
    String[] bcl = {"train.loss-scope=global", "train.global.slices=2", "engine.type=torch",
        "loss.temperature=0.2", "train.learning-rate=0.1", "train.checkpoints.keep-every=2"};
    Config straight = PretrainSparkTest.config(tmp, data, "bcl", "bcl-torch", 3, bcl);
    Checkpoint last = Pretrain.run(spark, straight,
        RunFolder.create("pretrain", straight, new Configuration()), false, quiet());
    assertEquals("bcl", last.method());
    List<JsonNode> lines = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("bcl-torch"))
        .stream().filter(PretrainSparkTest::iterationLine).toList();
    assertTrue(lines.stream().allMatch(r -> Double.isFinite(r.get("loss").asDouble())),
        lines.toString());
    copyEpoch("bcl-torch", "bcl-resumed", 2);
    Config resumed = PretrainSparkTest.config(tmp, data, "bcl", "bcl-resumed", 3, bcl);
    Pretrain.run(spark, resumed, RunFolder.create("pretrain", resumed, new Configuration()),
        true, quiet());
    List<JsonNode> again = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("bcl-resumed"))
        .stream().filter(PretrainSparkTest::iterationLine).toList();
    assertEquals(lines.size() / 3, again.size(), "only epoch 3 again");
    for (int i = 0; i < again.size(); i++) {
      JsonNode a = lines.get(lines.size() - again.size() + i);
      double loss = a.get("loss").asDouble();
      assertEquals(loss, again.get(i).get("loss").asDouble(), 1e-4 * Math.abs(loss),
          "bcl on torch, iteration " + a.get("iteration"));
    }
  }

  /**
   * fp16 on torch: every iteration logs the loss scale it used and whether its update was
   * skipped, the scale halves after a skipped update (GradScaler's backoff), and a run resumed
   * from its epoch-2 checkpoint continues with the saved scale: epoch 3 repeats the straight
   * run's losses and scales.
   */
  @Test
  void fp16OnTorchLogsTheLossScaleAndResumesWithIt(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("fp16-data"), 16, 32, 32, 7);
    String[] fp16 = {"train.loss-scope=global", "train.global.slices=2", "engine.type=torch",
        "engine.precision=fp16", "train.checkpoints.keep-every=2"};
    Config straight = PretrainSparkTest.config(tmp, data, "supmin", "fp16", 3, fp16);
    Pretrain.run(spark, straight, RunFolder.create("pretrain", straight, new Configuration()),
        false, quiet());
    List<JsonNode> lines = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("fp16"))
        .stream().filter(PretrainSparkTest::iterationLine).toList();
    assertEquals(12, lines.size(), "3 epochs x 4 iterations");
    assertEquals(65536.0, lines.get(0).get("loss_scale").asDouble(), "GradScaler's first scale");
    for (int i = 1; i < lines.size(); i++) {
      double before = lines.get(i - 1).get("loss_scale").asDouble();
      boolean skipped = lines.get(i - 1).get("update_skipped").asDouble() == 1.0;
      assertEquals(skipped ? before / 2 : before, lines.get(i).get("loss_scale").asDouble(),
          "iteration " + (i + 1) + ": backoff after a skip, else the same scale");
    }
    // seeded: iteration 5 overflows at 2^16 and is skipped, so epoch 3 runs at 2^15 and a
    // resume that lost the scale would start at 2^16 again
    assertTrue(lines.get(8).get("loss_scale").asDouble() < 65536.0,
        "no skipped update before epoch 3: the resume would not show a restored scale");
    assertTrue(lines.stream().allMatch(r -> Double.isFinite(r.get("loss").asDouble())),
        lines.toString());
    copyEpoch("fp16", "fp16-resumed", 2);
    Config resumed = PretrainSparkTest.config(tmp, data, "supmin", "fp16-resumed", 3, fp16);
    Pretrain.run(spark, resumed, RunFolder.create("pretrain", resumed, new Configuration()),
        true, quiet());
    List<JsonNode> again = PretrainSparkTest.metrics(tmp.resolve("runs").resolve("fp16-resumed"))
        .stream().filter(PretrainSparkTest::iterationLine).toList();
    assertEquals(4, again.size(), "only epoch 3 again");
    for (int i = 0; i < again.size(); i++) {
      JsonNode a = lines.get(8 + i);
      double loss = a.get("loss").asDouble();
      assertEquals(a.get("loss_scale").asDouble(), again.get(i).get("loss_scale").asDouble(),
          "iteration " + a.get("iteration") + ": loss scale after the resume");
      assertEquals(loss, again.get(i).get("loss").asDouble(), 1e-4 * Math.abs(loss),
          "fp16 on torch, iteration " + a.get("iteration"));
    }
  }

  private static String[] with(String[] base, String extra) {
    String[] all = java.util.Arrays.copyOf(base, base.length + 1);
    all[base.length] = extra;
    return all;
  }

  @Test
  void torchWithoutGlobalScopeIsRefusedWithTheFix(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("small"), 16, 8, 8, 3);
    Config local = PretrainSparkTest.config(tmp, data, "supmin", "local", 1, "engine.type=torch");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Pretrain.run(spark, local, RunFolder.create("pretrain", local,
            new Configuration()), false, quiet()));
    assertTrue(e.getMessage().contains("add train.loss-scope=global"), e.getMessage());
  }
}
