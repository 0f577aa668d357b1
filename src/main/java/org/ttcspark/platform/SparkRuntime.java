package org.ttcspark.platform;

import com.intel.analytics.bigdl.utils.Engine;
import com.intel.analytics.bigdl.utils.Engine$;
import com.intel.analytics.bigdl.utils.MklBlas$;
import com.intel.analytics.bigdl.utils.MklDnn$;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.ttcspark.config.ConfigProblems;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the SparkSession and the BigDL Engine of this JVM: one of each, created on first use
 * and shared by every command and test that runs in the JVM.
 *
 * <p>BigDL reads its engine type from the {@code bigdl.engineType} system property when its
 * {@code Engine} object is first loaded, so {@link #start} sets the properties before touching
 * BigDL. Executors in other JVMs get the same properties, the {@code --add-opens} flags (Spark
 * 2.4 does not add them) and {@code MKL_DEBUG_CPU_TYPE} through the Spark configuration.
 */
public final class SparkRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRuntime.class);

  /** Packages Spark 2.4, Kryo and BigDL reach into; opened on executors, checked by doctor. */
  public static final List<String> OPENED_PACKAGES = List.of(
      "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
      "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch",
      "sun.nio.cs", "sun.security.action", "sun.util.calendar", "jdk.internal.ref",
      "jdk.internal.misc");

  private static SparkRuntime current;

  private final SparkSession session;
  private final RuntimeConfig config;

  private SparkRuntime(SparkSession session, RuntimeConfig config) {
    this.session = session;
    this.config = config;
  }

  /**
   * The JVM's runtime, started with {@code config} if none is running yet. When a session is
   * already active (tests, or a second command in the same JVM) it is reused as it is.
   */
  public static synchronized SparkRuntime start(RuntimeConfig config, String appSuffix) {
    if (current != null && !current.session.sparkContext().isStopped()) {
      return current;
    }
    setEngineProperties(config);
    // BigDL's Engine object reads bigdl.engineType once, when first loaded: if anything in
    // this JVM loaded it before (a SparkConf built earlier, the doctor), it holds another type
    useEngine(config.engineType());
    SparkConf conf = sparkConf(config, appSuffix);
    SparkSession session = SparkSession.builder().config(conf).getOrCreate();
    Engine$.MODULE$.init();
    LOG.info("Spark {} master={} engine={} nodes={} cores={}", session.version(),
        session.sparkContext().master(), config.engineType().property(),
        Engine$.MODULE$.nodeNumber(), Engine$.MODULE$.coreNumber());
    current = new SparkRuntime(session, config);
    return current;
  }

  /** The running runtime. @throws IllegalStateException if none was started */
  public static synchronized SparkRuntime get() {
    if (current == null) {
      throw new IllegalStateException("no Spark runtime started; call SparkRuntime.start first");
    }
    return current;
  }

  /** The running runtime, if a command or test started one in this JVM. */
  public static synchronized java.util.Optional<SparkRuntime> running() {
    return current != null && !current.session.sparkContext().isStopped()
        ? java.util.Optional.of(current) : java.util.Optional.empty();
  }

  /** Stops the session; a later {@link #start} creates a new one. */
  public static synchronized void stop() {
    if (current != null) {
      current.session.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
      current = null;
    }
  }

  public SparkSession session() {
    return session;
  }

  public RuntimeConfig config() {
    return config;
  }

  /** Switches BigDL's engine in this JVM (doctor, tests); executors keep their start value. */
  public static void useEngine(EngineType type) {
    System.setProperty("bigdl.engineType", type.property());
    Engine$.MODULE$.setEngineType(type == EngineType.MKLDNN ? MklDnn$.MODULE$ : MklBlas$.MODULE$);
  }

  /** BigDL's engine type in this JVM now. */
  public static EngineType engineInUse() {
    return Engine$.MODULE$.getEngineType() == MklDnn$.MODULE$ ? EngineType.MKLDNN : EngineType.MKLBLAS;
  }

  static void setEngineProperties(RuntimeConfig config) {
    System.setProperty("bigdl.engineType", config.engineType().property());
    int cores = Runtime.getRuntime().availableProcessors();
    System.setProperty("bigdl.coreNumber",
        Integer.toString(config.coreNumber() > 0 ? config.coreNumber() : cores));
    System.setProperty("bigdl.mklNumThreads",
        Integer.toString(config.mklNumThreads() > 0 ? config.mklNumThreads() : cores));
  }

  static SparkConf sparkConf(RuntimeConfig config, String appSuffix) {
    SparkConf conf = Engine.createSparkConf(new SparkConf());
    String master = !config.master().isBlank() ? config.master()
        : conf.get("spark.master", "local[*]");
    // BigDL derives its core count from local[N] and halves '*' (it assumes hyper-threading).
    conf.setMaster(master.equals("local[*]")
        ? "local[" + Runtime.getRuntime().availableProcessors() + "]" : master);
    conf.setAppName(appSuffix == null || appSuffix.isBlank()
        ? config.appName() : config.appName() + " " + appSuffix);
    conf.set("spark.ui.enabled", Boolean.toString(config.ui()));
    if (config.shufflePartitions() > 0) {
      conf.set("spark.sql.shuffle.partitions", Integer.toString(config.shufflePartitions()));
    }
    config.mklDebugCpuType().ifPresent(v -> conf.set("spark.executorEnv.MKL_DEBUG_CPU_TYPE", v));
    conf.set("spark.executor.extraJavaOptions",
        (conf.get("spark.executor.extraJavaOptions", "") + " " + executorJavaOptions(config)).trim());
    if (config.executorCores() > 0) {
      conf.set("spark.executor.cores", Integer.toString(config.executorCores()));
    }
    if (config.executors() > 0) {
      conf.set("spark.executor.instances", Integer.toString(config.executors()));
      if (config.executorCores() > 0) {
        conf.set("spark.cores.max", Integer.toString(config.executors() * config.executorCores()));
      }
    }
    if (!config.executorMemory().isBlank()) {
      conf.set("spark.executor.memory", config.executorMemory());
    }
    for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    requireExecutorLayout(conf);
    return conf;
  }

  /**
   * BigDL plans its replicas and all-reduce from the executor count and cores, and fails deep in
   * Engine.init when a cluster master lacks them; say so here, before Spark starts.
   */
  private static void requireExecutorLayout(SparkConf conf) {
    String master = conf.get("spark.master");
    if (master.startsWith("local")) {
      return;
    }
    boolean dynamic = conf.getBoolean("spark.dynamicAllocation.enabled", false);
    boolean cores = conf.contains("spark.executor.cores");
    boolean count = master.startsWith("yarn") ? conf.contains("spark.executor.instances")
        : conf.contains("spark.cores.max");
    if (!cores || !(count || dynamic)) {
      throw new ConfigProblems(List.of("master " + master + " needs the executor layout: set "
          + "spark.executors and spark.executor-cores (both > 0), for example with "
          + "-c conf/cluster-standalone.conf"));
    }
  }

  /** JVM options every executor needs: the module openings and BigDL's engine properties. */
  static String executorJavaOptions(RuntimeConfig config) {
    StringBuilder sb = new StringBuilder();
    for (String pkg : OPENED_PACKAGES) {
      sb.append("--add-opens=java.base/").append(pkg).append("=ALL-UNNAMED ");
    }
    sb.append("-Dbigdl.engineType=").append(config.engineType().property());
    if (config.coreNumber() > 0) {
      sb.append(" -Dbigdl.coreNumber=").append(config.coreNumber());
    }
    if (config.mklNumThreads() > 0) {
      sb.append(" -Dbigdl.mklNumThreads=").append(config.mklNumThreads());
    }
    return sb.toString();
  }
}
