package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.data.PreparedDataset;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.Checkpoint;

@ExtendWith(SparkTestSession.class)
class EmbedCommandSparkTest {
  @Test
  void issue14_aDatasetWithOtherChannelsThanTheCheckpointIsNamedBeforeAnyJob(SparkSession spark,
      @TempDir Path tmp) throws Exception {
    String prepared = tmp.resolve("prepared").toString();
    MainTest.Result prepare = MainTest.run("prepare", "run.dir=" + tmp.resolve("runs"),
        "dataset.source=synthetic", "dataset.prepared=" + prepared,
        "dataset.synthetic.train-per-class=4", "dataset.synthetic.val-per-class=0",
        "dataset.synthetic.test-per-class=2", "dataset.synthetic.size=16");
    assertEquals(Main.OK, prepare.code(), prepare.err());
    int channels = PreparedDataset.open(prepared, spark).manifest().channels();
    int other = channels == 3 ? 1 : 3;
    // the state of a checkpoint trained on the other channel count (the model is not read)
    Path ckpt = Files.createDirectories(tmp.resolve("ckpt"));
    new Checkpoint(1, 4, 0.1, "resnet18-cifar-w4-p8-c" + other + "-s16", "supcon", 1.0)
        .writeState(new org.apache.hadoop.fs.Path(ckpt.toUri()), new Configuration());
    MainTest.Result embed = MainTest.run("embed", "run.dir=" + tmp.resolve("runs"),
        "dataset.prepared=" + prepared, "embed.checkpoint=" + ckpt);
    assertEquals(Main.FAILED, embed.code(), embed.err());
    assertTrue(embed.err().contains("was trained on " + other + "-channel images but "
        + prepared + " holds " + channels + "-channel images"), embed.err());
    assertFalse(embed.err().contains("Job aborted"), embed.err());
  }
}
