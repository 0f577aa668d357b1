package org.ttcspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.platform.Json;
import org.ttcspark.testing.StandaloneCluster;
import org.ttcspark.testing.StandaloneCluster.Launcher;

/**
 * prepare → pretrain → embed → metrics through {@code submit/ttc --master spark://...} on a
 * real two-worker standalone cluster, and {@code metrics} on the cluster gives the same JSON as
 * in local mode.
 */
class ClusterPipelineIT {
  @TempDir
  Path dir;

  private List<String> ttc(String command, String master, String... extra) {
    List<String> args = new ArrayList<>(List.of("run.name=c1", "dataset.source=synthetic", "dataset.prepared=" + dir.resolve("prepared"),
        "dataset.ratios=[0.25, 0.75]", "dataset.synthetic.train-per-class=32",
        "dataset.synthetic.val-per-class=8", "dataset.synthetic.test-per-class=8",
        "dataset.synthetic.size=16", "model.backbone=resnet18", "model.width=4",
        "model.projection-dim=8", "train.batch-size=8", "train.epochs=1", "loss.method=supmin",
        "loss.minority-class=0", "embed.views=2", "embed.splits=[test]"));
    args.addAll(List.of(extra));
    return Launcher.ttc(command, master, dir, args);
  }

  private static void ok(Launcher.Result r, String what) {
    assertEquals(0, r.code(), what + " failed:\n" + r.output());
  }

  @Test
  void theChainRunsOnAClusterAndMetricsMatchLocalMode() throws Exception {
    List<Long> pids;
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "2g")) {
      pids = cluster.pids();
      String m = cluster.masterUrl();
      ok(Launcher.run(ttc("prepare", m), 300), "prepare");
      assertTrue(Files.exists(dir.resolve("prepared/manifest.json")));
      ok(Launcher.run(ttc("pretrain", m), 600), "pretrain");
      assertTrue(Files.isDirectory(dir.resolve("runs/c1/checkpoints/epoch-0001")));
      ok(Launcher.run(ttc("embed", m), 300), "embed");
      ok(Launcher.run(ttc("metrics", m, "--embeddings-dir",
          dir.resolve("runs/c1/embeddings").toString(), "--out",
          dir.resolve("cluster.json").toString()), 300), "metrics on the cluster");
    }
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "cluster process " + pid + " ended");
    }
    ok(Launcher.run(ttc("metrics", null, "--embeddings-dir",
        dir.resolve("runs/c1/embeddings").toString(), "--out",
        dir.resolve("local.json").toString()), 300), "metrics locally");
    JsonNode cluster = Json.MAPPER.readTree(Files.readString(dir.resolve("cluster.json")));
    JsonNode local = Json.MAPPER.readTree(Files.readString(dir.resolve("local.json")));
    assertEquals(32, cluster.get("n").asInt(), "16 test images, 2 views");
    assertEquals(local, cluster);
  }
}
