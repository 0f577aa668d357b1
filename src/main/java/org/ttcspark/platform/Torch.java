package org.ttcspark.platform;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch through DJL, loaded from the jars on the classpath and never from the network: the
 * native libraries come from {@code pytorch-native-cpu} (or {@code -cu124} with the gpu
 * profile) and are extracted once to DJL's cache folder ({@code ~/.djl.ai}, or
 * {@code ENGINE_CACHE_DIR}); {@code PYTORCH_LIBRARY_PATH} points at an installed libtorch
 * instead. DJL's offline mode is switched on so that a missing natives jar fails at once with
 * a message, rather than as a download attempt on a cluster without internet.
 */
public final class Torch {
  /** DJL's name of the PyTorch engine. */
  public static final String ENGINE = "PyTorch";

  private static boolean loaded;

  private Torch() {}

  /**
   * The PyTorch engine as {@code rc} configures it ({@code engine.mkl-num-threads},
   * {@code engine.onednn-max-cpu-isa}).
   */
  public static Engine engine(RuntimeConfig rc) {
    return engine(rc.mklNumThreads(), rc.oneDnnMaxCpuIsa());
  }

  /**
   * The PyTorch engine of this JVM, loaded on first use with {@code threads} intra-op threads
   * (0: the machine's cores), capping oneDNN's instruction set at {@code isa} (empty: oneDNN
   * chooses) unless {@code ONEDNN_MAX_CPU_ISA} is set in the environment already; later calls
   * return the same engine whatever they ask. On the AMD EPYC this was developed on,
   * libtorch 2.5.1's AVX-512 and AVX2 convolution kernels return wrong input gradients for some
   * shapes (AVX-512: different on every run, NaN included); SSE4.1 gives BigDL's gradients.
   *
   * @throws IllegalStateException if the natives cannot be loaded, naming the fix
   */
  public static synchronized Engine engine(int threads, String isa) {
    if (!isa.isEmpty() && System.getenv("ONEDNN_MAX_CPU_ISA") == null && !loaded) {
      com.sun.jna.NativeLibrary.getInstance("c").getFunction("setenv")
          .invokeInt(new Object[] {"ONEDNN_MAX_CPU_ISA", isa, 1});
    }
    loaded = true;
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    try {
      return Engine.getEngine(ENGINE);
    } catch (EngineException | IllegalArgumentException | LinkageError e) {
      throw new IllegalStateException("the PyTorch engine did not load (" + e.getMessage()
          + "): engine.type = torch needs ai.djl.pytorch:pytorch-native-cpu (or -cu124, "
          + "mvn -Pgpu) on the classpath, as target/dist/jars has it, or PYTORCH_LIBRARY_PATH "
          + "set to a libtorch 2.5.1 folder", e);
    }
  }

  /**
   * The DJL device for an {@code engine.device} value: {@code cpu}, {@code cuda} (GPU 0 of
   * those visible) or {@code cuda:N}.
   *
   * @throws IllegalStateException if a GPU is asked for and this process sees none, or fewer
   */
  public static Device device(String name, Engine engine) {
    if (name.equals("cpu")) {
      return Device.cpu();
    }
    int id = name.equals("cuda") ? 0 : Integer.parseInt(name.substring("cuda:".length()));
    int visible = engine.getGpuCount();
    if (id >= visible) {
      throw new IllegalStateException("engine.device = " + name + " but this process sees "
          + (visible == 0 ? "no CUDA device" : visible + " CUDA device(s)") + " ("
          + cudaHint() + "); run on a GPU node with the CUDA natives (mvn -Pgpu, the GPU docker "
          + "image) or set engine.device = cpu");
    }
    return Device.gpu(id);
  }

  /** What this process can see of CUDA: the visible devices and why there may be none. */
  public static String cudaHint() {
    String visible = System.getenv("CUDA_VISIBLE_DEVICES");
    return "CUDA_VISIBLE_DEVICES=" + (visible == null ? "unset" : "'" + visible + "'")
        + ", natives " + nativesFlavor();
  }

  /** The flavour of the loaded natives: {@code cpu}, {@code cu124}, ... */
  public static String nativesFlavor() {
    try {
      String flavor = ai.djl.util.Platform.detectPlatform("pytorch").getFlavor();
      return flavor == null ? "unknown" : flavor;
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  /** One line per visible GPU: index, compute capability and memory, for the doctor. */
  public static List<String> gpus(Engine engine) {
    List<String> out = new ArrayList<>();
    int n = engine.getGpuCount();
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder("cuda:" + i);
      try {
        sb.append(" compute ").append(CudaUtils.getComputeCapability(i));
        MemoryUsage m = CudaUtils.getGpuMemory(Device.gpu(i));
        sb.append(String.format(Locale.ROOT, ", %.1f of %.1f GiB free",
            (m.getMax() - m.getUsed()) / 1073741824.0, m.getMax() / 1073741824.0));
      } catch (RuntimeException e) {
        sb.append(" (").append(e.getMessage()).append(')');
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** The CUDA runtime version, or empty when none is loaded. */
  public static String cudaVersion() {
    try {
      return CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : "";
    } catch (RuntimeException e) {
      return "";
    }
  }
}
