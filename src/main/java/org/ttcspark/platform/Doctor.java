package org.ttcspark.platform;

import com.intel.analytics.bigdl.mkl.MKL;
import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.mkl.MklDnn;
import com.intel.analytics.bigdl.nn.Linear$;
import com.intel.analytics.bigdl.nn.ReLU$;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.Sequential$;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The checks of {@code ttc doctor}: each says OK, WARN or FAIL, what it found and how to fix
 * it. The Spark and BigDL checks run for real (a session, an Engine init, a forward and
 * backward pass in each engine, a Parquet round trip), since a check that only looks at
 * settings would miss a native library that does not load.
 */
public final class Doctor {
  /** Outcome of one check. */
  public enum Status { OK, WARN, FAIL }

  /**
   * One row of the doctor's table.
   *
   * @param name what was checked
   * @param status the outcome
   * @param detail what was found
   * @param fix how to fix it; empty when OK
   */
  public record Check(String name, Status status, String detail, String fix) {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Doctor.class);

  private Doctor() {}

  /** Every check, in order. Spark-dependent checks start the runtime with {@code runtime}. */
  public static List<Check> run(Supplier<SparkRuntime> runtime, RunConfig run) {
    List<Check> checks = new ArrayList<>();
    checks.add(javaVersion());
    checks.add(moduleFlags());
    checks.add(mklDebugCpuType());
    checks.add(guard("native MKL", () -> MKL.isMKLLoaded()
        ? ok("native MKL", "libmklml loaded")
        : fail("native MKL", "MKL.isMKLLoaded() is false",
            "use a Linux x86_64 JVM; BigDL's MKL jar ships the library for it")));
    checks.add(guard("native MKL-DNN", () -> MklDnn.isLoaded()
        ? ok("native MKL-DNN", "MKL-DNN loaded")
        : fail("native MKL-DNN", "MklDnn.isLoaded() is false",
            "use engine.type=mklblas, or a Linux x86_64 JVM")));
    Check spark = guard("Spark session", () -> sparkSession(runtime.get()));
    checks.add(spark);
    if (spark.status() == Status.OK) {
      EngineType before = SparkRuntime.engineInUse();
      checks.add(guard("BigDL engine mklblas", () -> engine(EngineType.MKLBLAS)));
      checks.add(guard("BigDL engine mkldnn", () -> engine(EngineType.MKLDNN)));
      SparkRuntime.useEngine(before);
      RuntimeConfig rc = runtime.get().config();
      checks.add(guard("PyTorch engine", () -> torch(rc)));
      checks.add(guard("Parquet round trip", () -> parquet(runtime.get().session(), run)));
    }
    return checks;
  }

  static Check javaVersion() {
    int feature = Runtime.version().feature();
    String v = System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")";
    return feature >= 17 ? ok("Java version", v)
        : fail("Java version", v, "install Java 17 and put it first on PATH or set JAVA_HOME");
  }

  static Check moduleFlags() {
    List<String> closed = new ArrayList<>();
    Module unnamed = Doctor.class.getModule();
    for (String pkg : SparkRuntime.OPENED_PACKAGES) {
      if (!Object.class.getModule().isOpen(pkg, unnamed)) {
        closed.add(pkg);
      }
    }
    return closed.isEmpty()
        ? ok("Java module flags", SparkRuntime.OPENED_PACKAGES.size() + " packages opened")
        : fail("Java module flags", "not opened: " + String.join(", ", closed),
            "start through submit/ttc, or add --add-opens=java.base/<pkg>=ALL-UNNAMED for each");
  }

  static Check mklDebugCpuType() {
    String value = System.getenv("MKL_DEBUG_CPU_TYPE");
    boolean amd = cpuVendor().contains("amd");
    if (!amd) {
      return ok("MKL_DEBUG_CPU_TYPE", "not needed on " + cpuVendor());
    }
    return "5".equals(value) ? ok("MKL_DEBUG_CPU_TYPE", "5 on AMD: MKL takes the AVX2 path")
        : new Check("MKL_DEBUG_CPU_TYPE", Status.WARN, "unset on AMD: MKL runs its slow path",
            "export MKL_DEBUG_CPU_TYPE=5 (submit/ttc does it) for 1.5-2.9x faster training");
  }

  private static String cpuVendor() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("vendor_id")) {
          return line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT);
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
    return "unknown";
  }

  private static Check sparkSession(SparkRuntime runtime) {
    SparkSession s = runtime.session();
    long n = s.range(1000).count();
    if (n != 1000) {
      return fail("Spark session", "range(1000).count() gave " + n, "check the Spark jars");
    }
    return ok("Spark session", "Spark " + s.version() + ", master "
        + s.sparkContext().master());
  }

  @SuppressWarnings("unchecked")
  private static Check engine(EngineType type) {
    SparkRuntime.useEngine(type);
    Sequential<Object> seq = Sequential$.MODULE$.apply(Bigdl.FLOAT, Bigdl.NUMERIC);
    seq.add(Linear$.MODULE$.apply(8, 4, true, null, null, null, null, null, null, Bigdl.FLOAT,
        Bigdl.NUMERIC));
    seq.add(ReLU$.MODULE$.apply(false, Bigdl.FLOAT, Bigdl.NUMERIC));
    AbstractModule<Activity, Activity, Object> model =
        (AbstractModule<Activity, Activity, Object>) (Object) seq;
    if (type == EngineType.MKLDNN) {
      model = Bigdl.toMklDnn(model, Memory.Format.nc, Memory.Format.nc);
    }
    float[] x = new float[2 * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i % 5) * 0.1f;
    }
    Tensor<Object> input = Bigdl.tensor(x, 2, 8);
    Tensor<Object> output = (Tensor<Object>) model.forward(input);
    Tensor<Object> gradOut = Bigdl.tensor(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 2, 4);
    model.backward(input, gradOut);
    int[] size = output.size();
    if (size.length != 2 || size[0] != 2 || size[1] != 4) {
      return fail("BigDL engine " + type.property(), "unexpected output shape",
          "check the BigDL version (0.13.0 expected)");
    }
    return ok("BigDL engine " + type.property(), "Engine.init, forward and backward ran"
        + (type == EngineType.MKLDNN ? " (IRGraph)" : ""));
  }

  /**
   * Loads PyTorch from the jars and runs a convolution forward and backward on the configured
   * device; reports the CUDA runtime and every visible GPU's memory. A GPU asked for and absent
   * fails only when {@code engine.type = torch} (the run would stop), else it is a note.
   */
  static Check torch(RuntimeConfig rc) {
    String name = "PyTorch engine";
    ai.djl.engine.Engine engine = Torch.engine(rc);
    String cuda = Torch.cudaVersion();
    List<String> gpus = Torch.gpus(engine);
    String isa = System.getenv("ONEDNN_MAX_CPU_ISA") != null
        ? System.getenv("ONEDNN_MAX_CPU_ISA") : rc.oneDnnMaxCpuIsa();
    String seen = "PyTorch " + engine.getVersion() + " (DJL, natives " + Torch.nativesFlavor()
        + ", oneDNN ISA " + (isa.isEmpty() ? "auto" : isa) + "), "
        + (gpus.isEmpty() ? "no CUDA device visible" : "CUDA " + cuda + ", "
        + String.join("; ", gpus));
    String device = rc.engineType() == EngineType.TORCH ? rc.device() : "cpu";
    ai.djl.Device d;
    try {
      d = Torch.device(device, engine);
    } catch (IllegalStateException e) {
      return fail(name, seen + "; " + e.getMessage().split(";")[0],
          "run on a GPU node with the CUDA natives (mvn -Pgpu, docker/Dockerfile.gpu) or set "
          + "engine.device = cpu");
    }
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(d, Torch.ENGINE)) {
      ai.djl.ndarray.NDArray x = m.arange(2f * 3 * 5 * 5).reshape(2, 3, 5, 5).div(150f);
      ai.djl.ndarray.NDArray w = m.ones(new ai.djl.ndarray.types.Shape(4, 3, 3, 3));
      w.setRequiresGradient(true);
      boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
      ai.djl.pytorch.jni.JniUtils.setGradMode(true);
      try {
        ai.djl.ndarray.NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(x, w).head().sum();
        ai.djl.pytorch.jni.JniUtils.backward((ai.djl.pytorch.engine.PtNDArray) y,
            (ai.djl.pytorch.engine.PtNDArray) m.ones(y.getShape()), false, false);
      } finally {
        ai.djl.pytorch.jni.JniUtils.setGradMode(grad);
      }
      // every input pixel of channel c feeds 9 weights of each of the 4 outputs at most
      float g = w.getGradient().sum().getFloat();
      if (!(g > 0) || !Float.isFinite(g)) {
        return fail(name, seen + "; backward gave a gradient sum of " + g,
            "check the natives jar matches pytorch-jni (2.5.1)");
      }
    }
    return ok(name, seen + "; forward and backward ran on " + device
        + (rc.engineType() == EngineType.TORCH ? " (engine.device); training computes in "
        + rc.precision().key() + " (engine.precision)" : ""));
  }

  private static Check parquet(SparkSession session, RunConfig run) throws Exception {
    String dir = run.workDir() + "/doctor-" + UUID.randomUUID();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir);
    FileSystem fs = path.getFileSystem(session.sparkContext().hadoopConfiguration());
    try {
      Dataset<Row> df = session.range(100).selectExpr("id", "id * 2 as twice");
      df.write().parquet(dir);
      Row sums = session.read().parquet(dir).selectExpr("count(*)", "sum(twice)").first();
      if (sums.getLong(0) != 100 || sums.getLong(1) != 9900) {
        return fail("Parquet round trip", "read back " + sums, "check the work path " + dir);
      }
      return ok("Parquet round trip", fs.makeQualified(path).getParent().toString());
    } finally {
      fs.delete(path, true);
    }
  }

  interface CheckBody {
    Check get() throws Exception;
  }

  private static Check guard(String name, CheckBody body) {
    try {
      return body.get();
    } catch (Exception | LinkageError e) {
      LOG.warn("doctor check '{}' failed", name, e);
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      return fail(name, e.getClass().getSimpleName() + ": " + message.split("\n")[0],
          "run 'ttc doctor --verbose' for the stack trace");
    }
  }

  private static Check ok(String name, String detail) {
    return new Check(name, Status.OK, detail, "");
  }

  private static Check fail(String name, String detail, String fix) {
    return new Check(name, Status.FAIL, detail, fix);
  }
}
