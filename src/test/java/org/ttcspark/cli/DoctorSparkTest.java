package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.platform.Doctor;
import org.ttcspark.platform.Doctor.Check;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class DoctorSparkTest {
  @Test
  void everyCheckPassesOnThisMachine(SparkRuntime runtime, @TempDir Path work) {
    List<Check> checks = Doctor.run(() -> runtime, new RunConfig("runs", "", 1, work.toString()));
    assertEquals(List.of("Java version", "Java module flags", "MKL_DEBUG_CPU_TYPE", "native MKL",
        "native MKL-DNN", "Spark session", "BigDL engine mklblas", "BigDL engine mkldnn",
        "PyTorch engine", "Parquet round trip"), checks.stream().map(Check::name).toList());
    for (Check c : checks) {
      assertEquals(Doctor.Status.OK, c.status(), c.toString());
    }
  }

  @Test
  void doctorCommandPrintsTheTableAndExits0(SparkSession session, @TempDir Path work) {
    MainTest.Result r = MainTest.run("doctor", "run.work-dir=" + work);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Parquet round trip     OK"), r.out());
    assertTrue(r.out().contains("doctor: all checks passed"), r.out());
  }

  @Test
  void doctorLeavesTheEngineAsItFoundIt(SparkRuntime runtime, @TempDir Path work) {
    SparkRuntime.useEngine(org.ttcspark.platform.EngineType.MKLDNN);
    Doctor.run(() -> runtime, new RunConfig("runs", "", 1, work.toString()));
    assertEquals(org.ttcspark.platform.EngineType.MKLDNN, SparkRuntime.engineInUse());
  }
}
