package org.ttcspark.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code spark} and {@code engine} sections: how to start the SparkSession and BigDL.
 *
 * @param master Spark master URL; empty means spark-submit's, else {@code local[*]}
 * @param appName application name prefix
 * @param ui whether the driver serves the Spark UI
 * @param shufflePartitions {@code spark.sql.shuffle.partitions}; 0 keeps Spark's default
 * @param executors executors of a cluster run; 0 = not set here
 * @param executorCores cores per executor; 0 = not set here
 * @param executorMemory memory per executor (Spark syntax, e.g. "8g"); empty = not set here
 * @param sparkConf free-form Spark properties, applied last
 * @param engineType compute engine
 * @param device where the torch engine computes: {@code cpu}, {@code cuda} (the executor's
 *     first visible GPU) or {@code cuda:N}; always {@code cpu} for the BigDL engines
 * @param coreNumber {@code bigdl.coreNumber}; 0 means the executor's cores
 * @param mklNumThreads {@code bigdl.mklNumThreads}; 0 means the executor's cores
 * @param precision the torch engine's arithmetic for convolutions and linear layers; always
 *     {@code fp32} for the BigDL engines
 * @param oneDnnMaxCpuIsa oneDNN's instruction-set cap in the torch engine
 *     ({@code ONEDNN_MAX_CPU_ISA}); empty to let oneDNN choose
 * @param mklDebugCpuType {@code MKL_DEBUG_CPU_TYPE} for executors; empty to leave unset
 * @param inferenceBatch images per evaluation-mode forward (embed, online evaluation,
 *     projections, fine-tuning scores): bounds the forward's buffers on an executor
 */
public record RuntimeConfig(
    String master,
    String appName,
    boolean ui,
    int shufflePartitions,
    int executors,
    int executorCores,
    String executorMemory,
    Map<String, String> sparkConf,
    EngineType engineType,
    String device,
    Precision precision,
    int coreNumber,
    int mklNumThreads,
    String oneDnnMaxCpuIsa,
    Optional<String> mklDebugCpuType,
    int inferenceBatch) {

  public RuntimeConfig {
    sparkConf = Map.copyOf(sparkConf);
  }

  /** The master URLs Spark 2.4 accepts (SparkContext.createTaskScheduler, SparkSubmit). */
  private static final Pattern MASTER = Pattern.compile("local(\\[(\\d+|\\*)(,\\d+)?\\])?"
      + "|local-cluster\\[\\d+, *\\d+, *\\d+\\]|spark://[^/\\s]+|yarn(-client|-cluster)?"
      + "|mesos://\\S+|k8s://\\S+");

  private static final Pattern DEVICE = Pattern.compile("cpu|cuda(:\\d+)?");

  /** True when the torch engine is asked for a GPU. */
  public boolean wantsCuda() {
    return engineType == EngineType.TORCH && device.startsWith("cuda");
  }

  /** Reads and validates the {@code spark} and {@code engine} sections. */
  public static RuntimeConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    Map<String, String> conf = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : config.getConfig("spark.conf").entrySet()) {
      String key = com.typesafe.config.ConfigUtil.splitPath(e.getKey()).stream()
          .reduce((a, b) -> a + "." + b).orElse(e.getKey());
      conf.put(key, String.valueOf(e.getValue().unwrapped()));
    }
    RuntimeConfig rc = new RuntimeConfig(
        r.string("spark.master"),
        r.string("spark.app-name"),
        r.bool("spark.ui"),
        r.intIn("spark.shuffle-partitions", 0, 100_000),
        r.intIn("spark.executors", 0, 100_000),
        r.intIn("spark.executor-cores", 0, 4096),
        r.string("spark.executor-memory"),
        conf,
        r.enumOf("engine.type", EngineType.class),
        r.string("engine.device").trim(),
        r.enumOf("engine.precision", Precision.class),
        r.intIn("engine.core-number", 0, 4096),
        r.intIn("engine.mkl-num-threads", 0, 4096),
        r.string("engine.onednn-max-cpu-isa").trim(),
        r.optionalString("engine.mkl-debug-cpu-type"),
        r.intIn("engine.inference-batch", 1, 65_536));
    r.require(rc.master.isBlank() || MASTER.matcher(rc.master.trim()).matches(), "spark.master",
        "is not a Spark master URL; use local, local[N], local[*], spark://host:port, yarn, "
        + "k8s://https://host:port or mesos://host:port (--master URL sets spark.master)");
    r.require(DEVICE.matcher(rc.device).matches(), "engine.device",
        "is not a device; use cpu, cuda or cuda:N (N = 0, 1, ...)");
    r.require(rc.device.equals("cpu") || rc.engineType == EngineType.TORCH, "engine.device",
        "= " + rc.device + " needs engine.type = torch (BigDL's engines run on the CPU only)");
    r.require(rc.precision == Precision.FP32 || rc.engineType == EngineType.TORCH,
        "engine.precision", "needs engine.type = torch (BigDL's engines compute in fp32 "
        + "only); set engine.precision = fp32");
    r.require(rc.precision != Precision.BF16, "engine.precision", "is not available: the PyTorch "
        + "binding (DJL 0.33) cannot create bfloat16 tensors; use fp16 (loss-scaled, "
        + "CUDA or cpu) or fp32");
    r.done();
    return rc;
  }
}
