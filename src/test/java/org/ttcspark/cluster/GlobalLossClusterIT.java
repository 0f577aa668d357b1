package org.ttcspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * SupMin in global loss scope on a synthetic 1 % dataset: on a two-worker standalone cluster
 * (one slice per executor) it trains, and its first iterations' losses match a single-process
 * run with the same two slices; the torch engine on a GPU refuses two executors that would
 * share one.
 */
class GlobalLossClusterIT {
  private static final int COMPARED = 5;

  @TempDir
  Path dir;

  private List<String> ttc(String command, String master, String runName, String... extra) {
    List<String> args = new ArrayList<>(List.of(master == null ? "spark.master=local[2]" : "",
        "run.name=" + runName, "dataset.source=synthetic",
        "dataset.prepared=" + dir.resolve("prepared"), "dataset.ratios=[0.01, 0.99]",
        "dataset.synthetic.train-per-class=800", "dataset.synthetic.val-per-class=4",
        "dataset.synthetic.test-per-class=4", "dataset.synthetic.size=16",
        "model.backbone=resnet18", "model.width=4", "model.projection-dim=8",
        "train.batch-size=32", "train.epochs=1", "train.loss-scope=global",
        "train.global.slices=2", "loss.method=supmin", "loss.minority-class=0",
        "loss.ratio-supervised-majority=0.5"));
    args.remove("");
    args.addAll(List.of(extra));
    return Launcher.ttc(command, master, dir, args);
  }

  private static void ok(Launcher.Result r, String what) {
    assertEquals(0, r.code(), what + " failed:\n" + r.output());
  }

  private List<Double> losses(String runName) throws Exception {
    List<Double> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("runs").resolve(runName)
        .resolve("metrics.jsonl"))) {
      JsonNode row = Json.MAPPER.readTree(line);
      if (!row.has("event")) { // collapse and online-evaluation lines
        out.add(row.get("loss").asDouble());
      }
    }
    return out;
  }

  @Test
  void supminInGlobalScopeOnTheClusterMatchesTheSingleProcessRun() throws Exception {
    ok(Launcher.run(ttc("prepare", null, "prep"), 300), "prepare");
    ok(Launcher.run(ttc("pretrain", null, "single"), 600), "pretrain in one process");
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "2g")) {
      ok(Launcher.run(ttc("pretrain", cluster.masterUrl(), "cluster"), 600),
          "pretrain on the cluster");
      // two executors of one host, neither given a GPU of its own: refused before any model
      // is built on a GPU, so no GPU is needed to see it
      Launcher.Result shared = Launcher.run(ttc("pretrain", cluster.masterUrl(), "gpu",
          "engine.type=torch", "engine.device=cuda"), 300);
      assertTrue(shared.code() != 0, shared.output());
      assertTrue(shared.output().contains("executors would share a GPU")
          && shared.output().contains("is claimed by executor")
          && shared.output().contains("CUDA_VISIBLE_DEVICES unset"), shared.output());
    }
    List<Double> single = losses("single");
    List<Double> onCluster = losses("cluster");
    assertEquals(single.size(), onCluster.size(), "the same iterations");
    assertTrue(single.size() >= COMPARED, single.size() + " iterations");
    assertTrue(Files.isDirectory(dir.resolve("runs/cluster/checkpoints/epoch-0001")));
    for (int i = 0; i < COMPARED; i++) {
      assertEquals(single.get(i), onCluster.get(i), 1e-3 * single.get(i),
          "iteration " + (i + 1) + ": " + single + " vs " + onCluster);
    }
  }
}
