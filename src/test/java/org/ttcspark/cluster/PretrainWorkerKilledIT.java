package org.ttcspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.platform.Json;
import org.ttcspark.testing.StandaloneCluster;
import org.ttcspark.testing.StandaloneCluster.Launcher;

/**
 * Fault: a worker JVM and its executor are killed (SIGKILL) while {@code pretrain} runs on a
 * real two-worker cluster, after a checkpoint was written and training is in a later epoch.
 * The run stops with one line naming the lost executor and the checkpoint to resume from;
 * every checkpoint left is whole; {@code --resume} on the surviving worker then finishes the
 * run from that checkpoint with the iteration counter where it was. The times from the kill
 * to the error and of the resumed run are printed (README, "Running on a cluster").
 */
class PretrainWorkerKilledIT {
  private static final int EPOCHS = 4;
  private static final int ITERATIONS_PER_EPOCH = 4; // 128 train images, batch 32

  @TempDir
  Path dir;

  private List<String> ttc(String command, String master, String... extra) {
    List<String> args = new ArrayList<>(List.of("run.name=w1", "dataset.source=synthetic", "dataset.prepared=" + dir.resolve("prepared"),
        "dataset.ratios=[0.25, 0.75]", "dataset.synthetic.train-per-class=128",
        "dataset.synthetic.val-per-class=4", "dataset.synthetic.test-per-class=4",
        "dataset.synthetic.size=32", "model.backbone=resnet18", "model.width=8",
        "model.projection-dim=16", "train.batch-size=32", "train.epochs=" + EPOCHS,
        "loss.method=supmin", "loss.minority-class=0"));
    args.addAll(List.of(extra));
    return Launcher.ttc(command, master, dir, args);
  }

  @Test
  void killedWorkerStopsTheRunWithAClearMessageAndResumeFinishesIt() throws Exception {
    Launcher.Result prepared = Launcher.run(ttc("prepare", null), 300);
    assertEquals(0, prepared.code(), prepared.output());
    Path run = dir.resolve("runs/w1");
    Path log = dir.resolve("pretrain.log");
    Process driver = null;
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "2g")) {
      driver = Launcher.start(ttc("pretrain", cluster.masterUrl()), log);
      int trained = waitForLaterEpoch(run, driver, log);

      long killed = System.nanoTime();
      List<Long> pids = cluster.killWorker(2);
      assertTrue(driver.waitFor(120, TimeUnit.SECONDS), "the driver ended after the kill");
      double detection = (System.nanoTime() - killed) / 1e9;
      String out = Files.readString(log);
      assertEquals(1, driver.exitValue(), out);
      for (long pid : pids) {
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      }

      int last = lastCheckpointEpoch(run);
      assertTrue(last >= trained, "checkpoint " + last + " after seeing " + trained);
      String error = out.lines().filter(l -> l.startsWith("ttc: error: ")).findFirst()
          .orElseThrow(() -> new AssertionError("no one-line error:\n" + out));
      assertTrue(error.matches("ttc: error: executor \\d+ on 127\\.0\\.0\\.1 was lost during "
          + "epoch \\d+ .*"), error);
      assertTrue(error.contains(String.format("checkpoints/epoch-%04d. Run the same command "
          + "with --resume", last)), error);
      assertNothingHalfWritten(run);

      int logged = rows(run).size();
      long resumeStart = System.nanoTime();
      Launcher.Result resumed = Launcher.run(ttc("pretrain", cluster.masterUrl(),
          "spark.executors=1", "--resume"), 600);
      double recovery = (System.nanoTime() - resumeStart) / 1e9;
      assertEquals(0, resumed.code(), resumed.output());
      assertTrue(resumed.output().contains("after epoch " + last + " (iteration "
          + last * ITERATIONS_PER_EPOCH + ","), resumed.output());
      JsonNode state = Json.MAPPER.readTree(Files.readString(
          run.resolve(String.format("checkpoints/epoch-%04d/state.json", EPOCHS))));
      assertEquals(EPOCHS, state.get("epoch").asInt());
      assertEquals(EPOCHS * ITERATIONS_PER_EPOCH, state.get("iteration").asInt());
      List<JsonNode> after = rows(run).subList(logged, rows(run).size());
      assertEquals((EPOCHS - last) * ITERATIONS_PER_EPOCH, after.size(), "the resumed iterations");
      assertEquals(last + 1, after.get(0).get("epoch").asInt(), "resumed at the next epoch");
      assertEquals(last * ITERATIONS_PER_EPOCH + 1, after.get(0).get("iteration").asInt());
      assertNothingHalfWritten(run);
      System.out.printf("worker killed in epoch %d: error after %.1f s; resume from epoch %d "
          + "(new application, %d epochs on one executor) took %.1f s%n", trained + 1,
          detection, last, EPOCHS - last, recovery);
    } finally {
      if (driver != null && driver.isAlive()) {
        driver.descendants().forEach(ProcessHandle::destroyForcibly);
        driver.destroyForcibly();
      }
    }
  }

  /**
   * Waits (bounded) until a checkpoint exists and a later epoch has logged an iteration, and
   * returns the newest checkpoint's epoch at that moment.
   */
  private static int waitForLaterEpoch(Path run, Process driver, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && driver.isAlive()) {
      int checkpoint = lastCheckpointEpoch(run);
      if (checkpoint >= 1 && checkpoint < EPOCHS - 1) {
        int logged = rows(run).stream().mapToInt(r -> r.get("epoch").asInt()).max().orElse(0);
        if (logged > checkpoint) {
          return checkpoint;
        }
      }
      driver.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("training did not reach a second epoch after a checkpoint:\n"
        + Files.readString(log));
  }

  private static int lastCheckpointEpoch(Path run) throws IOException {
    Path dir = run.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var folders = Files.list(dir)) {
      return folders.map(f -> f.getFileName().toString()).filter(n -> n.matches("epoch-\\d+"))
          .mapToInt(n -> Integer.parseInt(n.substring(6))).max().orElse(0);
    }
  }

  /** Complete JSON lines of metrics.jsonl (a line being written is not returned). */
  private static List<JsonNode> rows(Path run) throws IOException {
    Path file = run.resolve("metrics.jsonl");
    List<JsonNode> rows = new ArrayList<>();
    if (Files.exists(file)) {
      String text = Files.readString(file);
      int end = text.lastIndexOf('\n');
      for (String line : text.substring(0, end + 1).split("\n")) {
        JsonNode row = line.isBlank() ? null : Json.MAPPER.readTree(line);
        if (row != null && !row.has("event")) { // iteration lines only
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** Every visible checkpoint folder has its model and state; work in progress is hidden. */
  private static void assertNothingHalfWritten(Path run) throws IOException {
    try (var entries = Files.list(run.resolve("checkpoints"))) {
      for (Path e : entries.toList()) {
        String name = e.getFileName().toString();
        if (!name.startsWith(".")) {
          assertTrue(name.matches("epoch-\\d{4}"), "unexpected entry " + e);
          assertTrue(Files.isRegularFile(e.resolve("state.json")), e + " has its state");
          assertTrue(Files.isRegularFile(e.resolve("model.bigdl")), e + " has its model");
        }
      }
    }
    String text = Files.readString(run.resolve("metrics.jsonl"));
    assertTrue(text.endsWith("\n"), "metrics.jsonl ends with a whole line");
    for (String line : text.split("\n")) {
      Json.MAPPER.readTree(line);
    }
  }
}
