package org.ttcspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.StandaloneCluster;
import org.ttcspark.testing.StandaloneCluster.Launcher;

/**
 * Fault: the driver of a {@code prepare} on the cluster is killed (SIGKILL) while its executors
 * write. Nothing that looks complete may be left: no target folder, no manifest; a new run
 * then prepares the dataset completely.
 */
class PrepareDriverKilledIT {
  @TempDir
  Path dir;

  private List<String> prepare(String master) {
    return List.of("submit/ttc", "prepare", "-c", "conf/cluster-standalone.conf", "--master",
        master, "spark.executor-memory=1g", "run.dir=" + dir.resolve("runs"),
        "dataset.source=synthetic", "dataset.prepared=" + dir.resolve("prepared"),
        "dataset.synthetic.train-per-class=6000", "dataset.synthetic.val-per-class=100",
        "dataset.synthetic.test-per-class=100", "dataset.synthetic.size=64",
        "dataset.synthetic.format=jpeg");
  }

  @Test
  void killingTheDriverLeavesNothingThatLooksComplete() throws Exception {
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "2g")) {
      List<String> cmd = prepare(cluster.masterUrl());
      Process driver = new ProcessBuilder(cmd.get(0).startsWith("/") ? cmd
          : prefixRoot(cmd)).redirectErrorStream(true)
          .redirectOutput(dir.resolve("driver.log").toFile()).start();
      // Wait (bounded) until the executors write into the hidden temporary folder.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      boolean writing = false;
      while (!writing && System.nanoTime() < deadline && driver.isAlive()) {
        try (var files = Files.list(dir)) {
          writing = files.anyMatch(f -> f.getFileName().toString().startsWith(".prepared."));
        }
        if (!writing) {
          driver.waitFor(200, TimeUnit.MILLISECONDS);
        }
      }
      assertTrue(writing, "prepare reached the writing stage:\n"
          + Files.readString(dir.resolve("driver.log")));
      driver.descendants().forEach(ProcessHandle::destroyForcibly);
      driver.destroyForcibly();
      assertTrue(driver.waitFor(60, TimeUnit.SECONDS));

      assertFalse(Files.exists(dir.resolve("prepared")), "no target folder after the kill");
      try (var files = Files.walk(dir)) {
        assertFalse(files.anyMatch(f -> f.getFileName().toString().equals("manifest.json")),
            "no manifest anywhere");
      }
      Launcher.Result again = Launcher.run(prepare(cluster.masterUrl()), 600);
      assertEquals(0, again.code(), again.output());
      assertTrue(Files.exists(dir.resolve("prepared/manifest.json")));
    }
  }

  private static List<String> prefixRoot(List<String> cmd) {
    List<String> out = new java.util.ArrayList<>(cmd);
    out.set(0, Path.of("").toAbsolutePath().resolve(cmd.get(0)).toString());
    return out;
  }
}
