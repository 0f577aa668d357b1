package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.MiniHdfs;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.CheckpointRetention;

/** Checkpoint pruning on HDFS, where the run folder of a cluster run lives. */
class RunFilesHdfsSparkTest {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void start() throws Exception {
    hdfs = MiniHdfs.start();
  }

  @AfterAll
  static void stop() {
    hdfs.close();
  }

  @Test
  void prunesCompleteCheckpointsOnHdfsAndLeavesOthersAlone() throws Exception {
    Configuration conf = new Configuration();
    Config c = ConfigLoader.load(List.of(), List.of("run.dir=" + hdfs.uri() + "/runs",
        "run.name=pruned"));
    RunFolder run = RunFolder.create("pretrain", c, conf);
    for (int epoch = 1; epoch <= 6; epoch++) {
      new Checkpoint(epoch, 10L * epoch, 0.1, "sig", "supmin", 1.0)
          .writeState(Checkpoint.folder(run.path(), epoch), conf);
    }
    FileSystem fs = run.path().getFileSystem(conf);
    Path incomplete = new Path(run.path(), "checkpoints/epoch-0007");
    fs.mkdirs(incomplete);
    Path hidden = HadoopFiles.temporarySibling(Checkpoint.folder(run.path(), 8));
    fs.mkdirs(hidden);

    RunFiles.prune(run, new CheckpointRetention(2, 2),
        new PrintStream(new ByteArrayOutputStream(), true));

    assertEquals(List.of(6, 5, 4, 2), Checkpoint.complete(run.path(), conf).stream()
        .map(Checkpoint::epochOf).toList());
    assertEquals(List.of(false, false, true, true), List.of(
        fs.exists(Checkpoint.folder(run.path(), 1)), fs.exists(Checkpoint.folder(run.path(), 3)),
        fs.exists(incomplete), fs.exists(hidden)), "epochs 1 and 3 gone, the rest untouched");
  }
}
