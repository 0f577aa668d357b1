package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.Pretrain;

/**
 * Issue 14: checkpoints are pruned to {@code train.checkpoints.keep-last} after each new one is
 * complete, and {@code --resume} passes over a damaged newest checkpoint to the previous
 * complete one with one warning naming both, or, when none loads, fails with one message naming
 * each and the fix.
 */
@ExtendWith(SparkTestSession.class)
class CheckpointFallbackSparkTest {
  @TempDir
  Path tmp;

  private String pretrain(SparkSession spark, Path data, int epochs, boolean resume)
      throws Exception {
    Config c = PretrainSparkTest.config(tmp, data, "simclr", "run", epochs,
        "train.batch-size=32");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Pretrain.run(spark, c, RunFolder.create("pretrain", c, new Configuration()), resume,
        new PrintStream(console, true, StandardCharsets.UTF_8));
    return console.toString(StandardCharsets.UTF_8);
  }

  private List<String> checkpoints() throws Exception {
    try (Stream<Path> s = Files.list(tmp.resolve("runs/run/checkpoints"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void issue14PrunesToKeepLastAndResumesPastADamagedNewestCheckpoint(SparkSession spark)
      throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 16, 16, 3);
    pretrain(spark, data, 3, false);
    assertEquals(List.of("epoch-0002", "epoch-0003"), checkpoints(), "keep-last = 2");

    // the newest model file cut short, as by a full disk or an interrupted copy
    Path newest = tmp.resolve("runs/run/checkpoints/epoch-0003/model.bigdl");
    byte[] whole = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(whole, whole.length / 3));
    String console = pretrain(spark, data, 4, true);
    List<String> warnings = console.lines().filter(l -> l.startsWith("warning:")).toList();
    assertEquals(1, warnings.size(), console);
    assertTrue(warnings.get(0).contains("epoch-0003") && warnings.get(0).contains("epoch-0002"),
        warnings.get(0));
    assertTrue(console.contains("resuming") && console.contains("after epoch 2"), console);
    assertEquals(List.of("epoch-0003", "epoch-0004"), checkpoints(),
        "epoch 3 trained again over the damaged one, epoch 2 pruned once epoch 4 was complete");
    assertEquals(4, PretrainSparkTest.metrics(tmp.resolve("runs/run")).stream()
        .mapToInt(r -> r.get("epoch").asInt()).max().orElseThrow());

    // nothing loads: the newest garbled, the other's model missing
    Path four = tmp.resolve("runs/run/checkpoints/epoch-0004/model.bigdl");
    byte[] garbled = Files.readAllBytes(four);
    for (int i = 0; i < garbled.length; i += 7) {
      garbled[i] = (byte) ~garbled[i];
    }
    Files.write(four, garbled);
    Files.delete(tmp.resolve("runs/run/checkpoints/epoch-0003/model.bigdl"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> pretrain(spark, data, 5, true));
    String m = e.getMessage();
    assertTrue(m.contains("epoch-0004") && m.contains("epoch-0003"), m);
    assertTrue(m.contains("does not exist"), m);
    assertTrue(m.contains("without --resume"), m);
    assertFalse(m.contains("\n"), m);
  }
}
