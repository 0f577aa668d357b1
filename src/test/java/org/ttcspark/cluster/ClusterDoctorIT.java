package org.ttcspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.StandaloneCluster;
import org.ttcspark.testing.StandaloneCluster.Launcher;

/** The doctor through spark-submit on a real two-worker standalone cluster. */
class ClusterDoctorIT {
  @Test
  void doctorPassesOnATwoWorkerClusterAndStopLeavesNoProcess(@TempDir Path dir)
      throws Exception {
    List<Long> pids;
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "2g")) {
      pids = cluster.pids();
      assertEquals(3, pids.size(), "master and two workers");
      Launcher.Result r = Launcher.run(List.of("submit/ttc", "doctor", "-c",
          "conf/cluster-standalone.conf", "--master", cluster.masterUrl(),
          "spark.executor-memory=1g", "run.work-dir=" + dir.resolve("work")), 300);
      assertEquals(0, r.code(), r.output());
      assertTrue(r.output().contains("master " + cluster.masterUrl()), r.output());
      assertTrue(r.output().contains("doctor: all checks passed"), r.output());
    }
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "process " + pid + " ended");
    }
  }
}
