package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.data.SourceFiles;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.testing.MiniHdfs;
import org.ttcspark.testing.SparkTestSession;

/**
 * The chain prepare → pretrain → pretrain --resume → embed → metrics with every path on
 * {@code hdfs://} (Hadoop's in-process mini cluster): the MedMNIST source archive, the prepared
 * dataset, the run folder (config, metrics.jsonl appended by the resumed run, checkpoints), the
 * scratch folder, the embeddings and the metrics JSON.
 */
@ExtendWith(SparkTestSession.class)
class PipelineHdfsSparkTest {
  private static final String REPLICATION = "dfs.replication";
  private static MiniHdfs cluster;
  private static String hdfs;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = MiniHdfs.start();
    hdfs = cluster.uri();
    // One data node: files must ask for one replica, or appending (the resumed run's
    // metrics.jsonl) fails looking for a replacement data node (README, "Running on a cluster").
    SparkTestSession.session().sparkContext().hadoopConfiguration().set(REPLICATION, "1");
  }

  @AfterAll
  static void stopCluster() {
    SparkTestSession.session().sparkContext().hadoopConfiguration().unset(REPLICATION);
    if (cluster != null) {
      cluster.close();
    }
  }

  private static MainTest.Result ttc(String command, String... extra) {
    List<String> args = new ArrayList<>(List.of(command, "run.dir=" + hdfs + "/runs",
        "run.work-dir=" + hdfs + "/work", "run.name=h1", "dataset.source=medmnist",
        "dataset.path=" + hdfs + "/in/pneumoniamnist.npz", "dataset.medmnist.flavour=pneumonia",
        "dataset.prepared=" + hdfs + "/prepared/pneumonia", "dataset.ratios=[0.25, 0.75]",
        "model.backbone=resnet18", "model.width=4", "model.projection-dim=8",
        "train.batch-size=8", "loss.method=supmin", "loss.minority-class=0", "embed.views=2",
        "embed.splits=[test]", "embed.output=" + hdfs + "/embeddings/h1"));
    args.addAll(List.of(extra));
    return MainTest.run(args.toArray(new String[0]));
  }

  private static void ok(MainTest.Result r, String what) {
    assertEquals(0, r.code(), what + " failed:\n" + r.err() + r.out());
  }

  @Test
  void theChainRunsWithEveryPathOnHdfs(SparkSession spark) throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SourceFiles.writeNpz(new Path(hdfs + "/in/pneumoniamnist.npz"), conf,
        SourceFiles.medmnist(new int[] {48, 8, 8}, 28, false, (s, i) -> i % 2, 1));

    ok(ttc("prepare"), "prepare");
    ok(ttc("pretrain", "train.epochs=1"), "pretrain");
    MainTest.Result resumed = ttc("pretrain", "train.epochs=2", "--resume");
    ok(resumed, "pretrain --resume");
    assertTrue(resumed.out().contains("after epoch 1 (iteration 3,"), resumed.out());
    ok(ttc("embed"), "embed");
    ok(ttc("metrics", "--embeddings-dir", hdfs + "/embeddings/h1", "--out",
        hdfs + "/results/metrics.json"), "metrics");

    Path run = new Path(hdfs + "/runs/h1");
    String[] log = java.util.Arrays.stream(HadoopFiles.readString(new Path(run, "metrics.jsonl"),
        conf).split("\n")).filter(l -> !l.contains("\"event\"")).toArray(String[]::new);
    assertEquals(6, log.length, "3 iterations (24 train images, batch 8) per epoch, appended");
    for (int i = 0; i < log.length; i++) {
      JsonNode row = Json.MAPPER.readTree(log[i]);
      assertEquals(i + 1, row.get("iteration").asInt(), log[i]);
      assertEquals(i / 3 + 1, row.get("epoch").asInt(), log[i]);
    }
    FileSystem fs = run.getFileSystem(conf);
    JsonNode state = Json.MAPPER.readTree(HadoopFiles.readString(
        new Path(run, "checkpoints/epoch-0002/state.json"), conf));
    assertEquals(6, state.get("iteration").asInt());
    assertTrue(fs.exists(new Path(run, "checkpoints/epoch-0002/model.bigdl")));
    assertTrue(fs.exists(new Path(run, "config.conf")));

    JsonNode m = Json.MAPPER.readTree(
        HadoopFiles.readString(new Path(hdfs + "/results/metrics.json"), conf));
    assertEquals(2 * 8, m.get("n").asInt(), "4 + 4 test images, 2 views");
    assertTrue(m.path("saa").path("0").isNumber() && m.path("cac").path("1").isNumber(),
        m.toString());

    List<String> hidden = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> all = fs.listFiles(new Path(hdfs + "/"), true);
    while (all.hasNext()) {
      Path p = all.next().getPath();
      for (Path q = p; q != null && !q.isRoot(); q = q.getParent()) {
        if (q.getName().startsWith(".")) {
          hidden.add(p.toString());
          break;
        }
      }
    }
    assertEquals(List.of(), hidden, "no temporary file or folder is left on HDFS");
    FileStatus[] prepared = fs.listStatus(new Path(hdfs + "/prepared/pneumonia"));
    assertFalse(Arrays.stream(prepared).noneMatch(s -> s.getPath().getName().equals(
        "manifest.json")), "the prepared dataset has its manifest");
  }
}
