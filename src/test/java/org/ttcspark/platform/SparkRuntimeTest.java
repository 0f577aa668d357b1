package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

/** How the configuration becomes a SparkConf; no session is started here. */
class SparkRuntimeTest {
  private static RuntimeConfig config(String... overrides) {
    return RuntimeConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  @Test
  void localStarBecomesTheCoreCountSoBigdlDoesNotHalveIt() {
    SparkConf conf = SparkRuntime.sparkConf(config("spark.master=local[*]"), "x");
    assertEquals("local[" + Runtime.getRuntime().availableProcessors() + "]",
        conf.get("spark.master"));
  }

  @Test
  void executorsGetModuleFlagsEngineAndMklSettings() {
    SparkConf conf = SparkRuntime.sparkConf(config("spark.master=spark://h:7077",
        "engine.type=mklblas", "engine.core-number=4", "spark.executors=2",
        "spark.executor-cores=4"), "x");
    assertEquals("8", conf.get("spark.cores.max"));
    assertEquals("4", conf.get("spark.executor.cores"));
    String opts = conf.get("spark.executor.extraJavaOptions");
    assertTrue(opts.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), opts);
    assertTrue(opts.contains("-Dbigdl.engineType=mklblas") && opts.contains("-Dbigdl.coreNumber=4"),
        opts);
    assertEquals("5", conf.get("spark.executorEnv.MKL_DEBUG_CPU_TYPE"));
    assertEquals("spark://h:7077", conf.get("spark.master"));
  }

  @Test
  void clusterMasterWithoutExecutorLayoutIsAConfigurationError() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        org.ttcspark.config.ConfigProblems.class,
        () -> SparkRuntime.sparkConf(config("spark.master=spark://h:7077"), "x"));
    assertTrue(e.getMessage().contains("set spark.executors and spark.executor-cores"),
        e.getMessage());
  }

  @Test
  void freeFormSparkPropertiesArePassedThrough() {
    SparkConf conf = SparkRuntime.sparkConf(
        config("spark.conf.\"spark.executor.memory\"=3g"), "x");
    assertEquals("3g", conf.get("spark.executor.memory"));
  }

  @Test
  void runtimeConfigRejectsAnUnknownEngine() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        org.ttcspark.config.ConfigProblems.class, () -> config("engine.type=cuda"));
    assertTrue(e.getMessage().contains("must be one of mklblas, mkldnn"), e.getMessage());
  }

  @Test
  void torchIsAnEngineWithADeviceAndRunsBigdlInMklBlasMode() {
    RuntimeConfig rc = config("engine.type=torch", "engine.device=cuda:1");
    assertEquals(EngineType.TORCH, rc.engineType());
    assertEquals("cuda:1", rc.device());
    assertTrue(rc.wantsCuda());
    assertEquals("mklblas", EngineType.TORCH.property());
    assertEquals("cpu", config().device());
  }

  @Test
  void aDeviceThatIsNotOneIsAConfigurationError() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        org.ttcspark.config.ConfigProblems.class,
        () -> config("engine.type=torch", "engine.device=gpu0"));
    assertTrue(e.getMessage().contains("engine.device") && e.getMessage().contains("cuda:N"),
        e.getMessage());
  }

  @Test
  void bigdlEnginesRefuseAGpu() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(
        org.ttcspark.config.ConfigProblems.class, () -> config("engine.device=cuda"));
    assertTrue(e.getMessage().contains("needs engine.type = torch"), e.getMessage());
  }
}
