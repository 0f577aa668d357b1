package org.ttcspark.model.bigdl;

import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.nn.mkldnn.DnnGraph;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
import com.intel.analytics.bigdl.utils.intermediate.IRGraph;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.SparkRuntime;

/**
 * The one evaluation-mode forward of a trained model, shared by {@code embed}, the online
 * evaluation, SBCL's and the data prototypes' projections, the validation loss and the
 * fine-tuning scores: inputs {@code [n, ...]} in, outputs {@code [n, D]} out, BatchNorm on its
 * running statistics.
 *
 * <p>Why one model per JVM, under a lock, in slices of {@link Plan#batch()}: BigDL's BLAS
 * convolutions keep an im2col buffer of {@code batch x C k^2 x H W} floats per layer on the Java
 * heap, and every layer keeps its output; a copy of the model per task at batch 128 needed more
 * than 6 GB of heap for ResNet-18 (width 64) at 28 px. Here an executor holds one copy, whatever
 * its task count, and a forward never sees more than {@code batch} images, so the buffers are
 * bounded by {@code batch} and not by the caller's batch.
 *
 * <p>On the MKL-DNN engine the copy is the plain model converted to an IRGraph <em>in
 * evaluation mode before its first forward</em>, so its primitives are built for inference (as
 * BigDL's own {@code Predictor} does); a graph that has run in training mode and is then
 * switched to evaluation gives wrong outputs in BigDL 0.13 and is never used here. Its
 * primitives are made for one input shape, so every slice is padded with zero images to
 * exactly {@code batch} (samples are independent in evaluation mode; the padded rows are
 * dropped). Its buffers are native memory, freed by {@link #release} when another evaluation
 * takes the executor.
 *
 * <p>Thread-safety: {@link #forward} is synchronised; tasks of one executor share the copy.
 */
public final class EvalForward implements AutoCloseable {
  /**
   * How to run: decided on the driver, shipped to the executors.
   *
   * @param engine MKLDNN: IRGraph in inference mode; MKLBLAS: BigDL's own layers
   * @param batch images per forward call (at least 1); bounds the forward's buffers
   * @param cores BigDL cores of an executor, for an executor JVM that has not trained yet
   */
  public record Plan(EngineType engine, int batch, int cores) implements Serializable {
    public Plan {
      if (batch < 1) {
        throw new IllegalArgumentException("evaluation batch must be at least 1, got " + batch);
      }
    }

    /** The engine of this JVM's BigDL (what training converts to) with {@code batch}. */
    public static Plan of(int batch) {
      return new Plan(SparkRuntime.engineInUse(), batch, Engine$.MODULE$.coreNumber());
    }

    /** {@code engine.inference-batch} of the running runtime, on this JVM's engine. */
    public static Plan current() {
      return of(SparkRuntime.get().config().inferenceBatch());
    }
  }

  /** This JVM's evaluation models by key ({@code job/part}); guarded by the class lock. */
  private static final Map<String, EvalForward> MODELS = new HashMap<>();

  private final String key;
  private final Plan plan;
  private final AbstractModule<Activity, Activity, Object> model;
  private int users;
  private boolean released;

  private EvalForward(String key, Plan plan, AbstractModule<Activity, Activity, Object> model) {
    this.key = key;
    this.plan = plan;
    this.model = model;
  }

  /**
   * This JVM's evaluation copy of a shared model, made on first use; {@link #close} it when the
   * task is done. Idle copies of other jobs are released first.
   *
   * @param job identifies one evaluation (one broadcast); copies of other jobs are released
   * @param part names the model within the job (embed forwards backbone and head)
   * @param shared the plain model (a broadcast value; never modified)
   */
  public static EvalForward acquire(String job, String part,
      Supplier<AbstractModule<Activity, Activity, Object>> shared, Plan plan) {
    String key = job + "/" + part;
    synchronized (EvalForward.class) {
      EvalForward f = MODELS.get(key);
      if (f == null) {
        List<String> idle = new ArrayList<>();
        for (Map.Entry<String, EvalForward> e : MODELS.entrySet()) {
          if (!e.getKey().startsWith(job + "/") && e.getValue().users == 0) {
            idle.add(e.getKey());
          }
        }
        for (String k : idle) {
          MODELS.remove(k).free();
        }
        f = new EvalForward(key, plan, prepare(shared.get(), plan));
        MODELS.put(key, f);
      }
      f.users++;
      return f;
    }
  }

  /** Releases this JVM's copies of {@code job} (the driver, after the job: local mode). */
  public static void release(String job) {
    synchronized (EvalForward.class) {
      List<String> mine = new ArrayList<>();
      for (String k : MODELS.keySet()) {
        if (k.startsWith(job + "/")) {
          mine.add(k);
        }
      }
      for (String k : mine) {
        MODELS.remove(k).free();
      }
    }
  }

  /** Copies held by this JVM (tests). */
  static int held() {
    synchronized (EvalForward.class) {
      return MODELS.size();
    }
  }

  @Override
  public void close() {
    synchronized (EvalForward.class) {
      users--;
    }
  }

  /**
   * The evaluation-mode copy: a clone (the broadcast value may be the driver's own model in
   * local mode), switched to evaluation before any conversion, then on MKL-DNN converted to an
   * IRGraph whose first forward builds inference primitives.
   */
  static AbstractModule<Activity, Activity, Object> prepare(
      AbstractModule<Activity, Activity, Object> plain, Plan plan) {
    try {
      Engine$.MODULE$.coreNumber();
    } catch (RuntimeException notInitialised) {
      Engine$.MODULE$.setNodeAndCore(1, Math.max(1, plan.cores()));
    }
    AbstractModule<Activity, Activity, Object> copy = plain.cloneModule();
    copy.evaluate();
    if (plan.engine() != EngineType.MKLDNN) {
      return copy;
    }
    AbstractModule<Activity, Activity, Object> dnn = Bigdl.toMklDnn(copy, Memory.Format.nchw,
        Memory.Format.nc);
    dnn.evaluate();
    return dnn;
  }

  /**
   * Outputs of {@code n} inputs, in slices of {@link Plan#batch()}.
   *
   * @param x {@code [n, shape...]} row-major (images {@code [n, C, H, W]}, or features
   *     {@code [n, F]} with a 2-d {@code shape}; MKL-DNN copies take NCHW images only)
   * @param n inputs in {@code x}, at least 1
   * @param shape the shape of one input
   * @return {@code [n, D]} row-major
   */
  @SuppressWarnings("unchecked")
  public synchronized float[] forward(float[] x, int n, int... shape) {
    if (released) {
      throw new IllegalStateException("evaluation model " + key + " was released");
    }
    if (n < 1 || x.length % n != 0) {
      throw new IllegalArgumentException("forward of " + n + " inputs needs a multiple of " + n
          + " values and at least one input; got " + x.length + " values");
    }
    int per = x.length / n;
    int slice = plan.batch();
    boolean pad = plan.engine() == EngineType.MKLDNN;
    float[] out = null;
    int d = 0;
    for (int from = 0; from < n; from += slice) {
      int m = Math.min(slice, n - from);
      int rows = pad ? slice : m;
      float[] chunk = new float[rows * per];
      System.arraycopy(x, from * per, chunk, 0, m * per);
      int[] dims = new int[shape.length + 1];
      dims[0] = rows;
      System.arraycopy(shape, 0, dims, 1, shape.length);
      float[] y = Bigdl.toArray((Tensor<Object>) model.forward(Bigdl.tensor(chunk, dims)));
      if (out == null) {
        d = y.length / rows;
        out = new float[n * d];
      }
      System.arraycopy(y, 0, out, from * d, m * d);
    }
    return out;
  }

  /** Whether this copy runs MKL-DNN primitives (an IRGraph that converted to a DnnGraph). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public boolean onMklDnn() {
    return model instanceof IRGraph<?> ir && ((IRGraph) ir).graph() instanceof DnnGraph;
  }

  /** Frees the MKL-DNN copy's native buffers; the copy cannot forward afterwards. */
  private void free() {
    synchronized (this) {
      released = true;
      if (plan.engine() == EngineType.MKLDNN) {
        model.release();
      }
    }
  }
}
