package org.ttcspark.train.bigdl;

import com.fasterxml.jackson.databind.JsonNode;
import com.intel.analytics.bigdl.optim.Adam;
import com.intel.analytics.bigdl.optim.DistriOptimizer;
import com.intel.analytics.bigdl.optim.OptimMethod;
import com.intel.analytics.bigdl.optim.SGD;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Table;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import scala.reflect.ClassTag$;

/**
 * The optimiser's per-parameter state: SGD's momentum buffer ({@code dfdx}), Adam's first and
 * second moments ({@code s}, {@code r}) and step counter. BigDL's DistriOptimizer keeps it on the
 * executors: each partition i updates the slice {@link #slice} of the flat parameter vector with
 * its own copy of the optimiser, and with {@code reserveOptim(true)} hands those copies from one
 * {@code optimize()} to the next through its {@code previousOptim} RDD (public in the bytecode,
 * {@code private[bigdl]} in Scala). {@link #gather} collects the slices after an
 * {@code optimize()} into whole vectors, {@link #write} stores them in a checkpoint folder
 * ({@code optim/state.json} and one {@code .npy} per vector), and {@link #scatter} installs them
 * as {@code previousOptim} before the next {@code optimize()}: after a resume, or when the
 * training data was rebuilt (new partitions would not sit beside the old optimiser copies).
 *
 * <p>The flat parameter layout is that of the model DistriOptimizer trains (the MKL-DNN graph
 * or the plain model), so the state records the engine and the parameter count and is only
 * installed into the same layout.
 */
public final class OptimState implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Sub-folder of a checkpoint holding the state. */
  public static final String FOLDER = "optim";
  private static final String SUMMARY = "state.json";
  private static final String ADAM_COUNTER = "evalCounter";

  private final String optimizer;
  private final String engine;
  private final long parameters;
  private final Map<String, float[]> vectors;
  private final Map<String, Integer> counters;

  private OptimState(String optimizer, String engine, long parameters,
      Map<String, float[]> vectors, Map<String, Integer> counters) {
    this.optimizer = optimizer;
    this.engine = engine;
    this.parameters = parameters;
    this.vectors = vectors;
    this.counters = counters;
  }

  /** {@code sgd} or {@code adam}. */
  public String optimizer() {
    return optimizer;
  }

  /** The engine whose parameter layout the vectors follow. */
  public String engine() {
    return engine;
  }

  /** Length of every vector: the model's parameter count. */
  public long parameters() {
    return parameters;
  }

  /** The whole state vector {@code name} ({@code dfdx}, {@code s}, {@code r}); not copied. */
  public float[] vector(String name) {
    return vectors.get(name);
  }

  /** The optimiser's kind, or null for one whose state is not carried. */
  static String kind(OptimMethod<Object> optim) {
    return optim instanceof SGD ? "sgd" : optim instanceof Adam ? "adam" : null;
  }

  private static List<String> vectorNames(String kind) {
    return kind.equals("sgd") ? List.of("dfdx") : List.of("s", "r");
  }

  /**
   * The 0-based {@code [start, length]} of the parameters partition {@code i} of {@code n}
   * updates: AllReduceParameter gives every partition {@code size / n} parameters and the first
   * {@code size % n} partitions one more.
   */
  static long[] slice(long size, int n, int i) {
    long task = size / n;
    long extra = size % n;
    return new long[] {i * task + Math.min(i, extra), task + (i < extra ? 1 : 0)};
  }

  /**
   * The state the executors hold after {@code opt.optimize()}, or null when there is none
   * (no step yet, momentum 0, or an optimiser other than SGD and Adam).
   *
   * @param optim the driver's optimiser (its kind)
   * @param engine the engine in use ({@code mkldnn}, {@code mklblas})
   */
  @SuppressWarnings("unchecked")
  public static OptimState gather(DistriOptimizer<Object> opt, OptimMethod<Object> optim,
      String engine) {
    String kind = kind(optim);
    RDD<scala.collection.immutable.Map<String, OptimMethod<Object>>> previous =
        opt.previousOptim();
    if (kind == null || previous == null) {
      return null;
    }
    List<String> names = vectorNames(kind);
    List<Slice> slices = new ArrayList<>(previous.toJavaRDD().mapPartitionsWithIndex((i, it) ->
        List.of(Slice.of(i, it.next().values().head().state(), names)).iterator(), true)
        .collect());
    return assemble(kind, engine, slices);
  }

  /**
   * The whole state from every partition's share (any order), or null if a share has none yet.
   *
   * @param kind {@code sgd} or {@code adam}
   * @param engine the engine whose parameter layout the shares follow
   */
  static OptimState assemble(String kind, String engine, List<Slice> shares) {
    List<Slice> slices = new ArrayList<>(shares);
    List<String> names = vectorNames(kind);
    slices.sort(Comparator.comparingInt(Slice::partition));
    long size = 0;
    for (Slice s : slices) {
      if (s.vectors() == null) {
        return null;
      }
      size += s.vectors().get(names.get(0)).length;
    }
    Map<String, float[]> whole = new LinkedHashMap<>();
    for (String name : names) {
      float[] all = new float[Math.toIntExact(size)];
      for (Slice s : slices) {
        float[] part = s.vectors().get(name);
        long[] range = slice(size, slices.size(), s.partition());
        if (range[1] != part.length) {
          throw new IllegalStateException("partition " + s.partition() + " holds " + part.length
              + " values of " + name + " but updates " + range[1] + " of " + size
              + " parameters; BigDL's parameter split is not the expected one");
        }
        System.arraycopy(part, 0, all, (int) range[0], part.length);
      }
      whole.put(name, all);
    }
    Map<String, Integer> counters = kind.equals("adam")
        ? Map.of(ADAM_COUNTER, slices.get(0).counter()) : Map.of();
    return new OptimState(kind, engine, size, whole, counters);
  }

  /**
   * A copy of {@code optim} holding share {@code i} of {@code n} of this state: what partition
   * (or slice) i updates.
   */
  OptimMethod<Object> share(OptimMethod<Object> optim, int i, int n) {
    return share(optim, vectors, counters, parameters, i, n);
  }

  private static OptimMethod<Object> share(OptimMethod<Object> optim,
      Map<String, float[]> vectors, Map<String, Integer> counters, long parameters, int i,
      int n) {
    OptimMethod<Object> local = optim.clone();
    local.clearHistory();
    long[] range = slice(parameters, n, i);
    int from = (int) range[0];
    int len = (int) range[1];
    Table state = local.state();
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      float[] part = java.util.Arrays.copyOfRange(e.getValue(), from, from + len);
      state.update(e.getKey(), Bigdl.tensor(part, len));
    }
    if (local instanceof Adam) {
      state.update("denom", Bigdl.zeros(len)); // scratch Adam expects beside s and r
    }
    counters.forEach(state::update);
    return local;
  }

  /**
   * The optimiser state saved with {@code checkpoint} if it fits {@code optim} on
   * {@code engine} with {@code parameters} parameters; otherwise null, after saying on the
   * console why the state restarts at zero.
   */
  public static OptimState resumable(Path checkpoint, Configuration conf,
      OptimMethod<Object> optim, String engine, long parameters, java.io.PrintStream console)
      throws IOException {
    OptimState saved = read(checkpoint, conf);
    if (saved == null && optim instanceof SGD<Object> sgd && sgd.momentum() == 0) {
      return null; // plain SGD keeps no state
    }
    String why = saved == null ? "the checkpoint has none"
        : saved.mismatch(optim, engine, parameters);
    if (why != null) {
      console.printf("optimiser state of %s not restored (%s): momentum restarts at zero%n",
          checkpoint, why);
      return null;
    }
    return saved;
  }

  /**
   * Why this state cannot be installed into a model with {@code parameters} parameters trained
   * by {@code optim} on {@code engine}, or null when it can.
   */
  public String mismatch(OptimMethod<Object> optim, String engine, long parameters) {
    if (!optimizer.equals(kind(optim))) {
      return "it is " + optimizer + " state and the optimiser is " + kind(optim);
    }
    if (!this.engine.equals(engine)) {
      return "it was saved in " + this.engine + " mode (another parameter layout) and the "
          + "engine is " + engine;
    }
    if (this.parameters != parameters) {
      return "it holds " + this.parameters + " parameters and the model has " + parameters;
    }
    return null;
  }

  /**
   * Installs the state as {@code opt}'s {@code previousOptim}: one copy of {@code optim} per
   * partition of {@code partitions} (the training data's cached partitions, so that each copy
   * sits where DistriOptimizer's model of that partition will), holding its slice. The returned
   * RDD is persisted; unpersist it when training ends.
   *
   * @param modelName the name DistriOptimizer keys the optimiser by (the trained model's)
   */
  @SuppressWarnings("unchecked")
  public JavaRDD<scala.collection.immutable.Map<String, OptimMethod<Object>>> scatter(
      DistriOptimizer<Object> opt, RDD<?> partitions, OptimMethod<Object> optim,
      String modelName) {
    int n = partitions.getNumPartitions();
    Broadcast<Map<String, float[]>> shared = JavaSparkContext
        .fromSparkContext(partitions.context()).broadcast(vectors);
    long size = parameters;
    Map<String, Integer> counts = counters;
    JavaRDD<Object> any = JavaRDD.fromRDD((RDD<Object>) partitions,
        ClassTag$.MODULE$.apply(Object.class));
    JavaRDD<scala.collection.immutable.Map<String, OptimMethod<Object>>> copies =
        any.mapPartitionsWithIndex((i, it) -> {
          OptimMethod<Object> local = share(optim, shared.value(), counts, size, i, n);
          scala.collection.immutable.Map<String, OptimMethod<Object>> m =
              new scala.collection.immutable.Map.Map1<>(modelName, local);
          return List.of(m).iterator();
        }, true).persist(StorageLevel.MEMORY_ONLY());
    copies.count();
    if (opt.previousOptim() != null) {
      opt.previousOptim().unpersist(false); // the copies of the last optimize(), replaced
    }
    opt.previousOptim_$eq(copies.rdd());
    return copies;
  }

  /** Writes {@code optim/} into a (temporary) checkpoint folder. */
  public void write(Path checkpoint, Configuration conf) throws IOException {
    Path dir = new Path(checkpoint, FOLDER);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", optimizer);
    m.put("engine", engine);
    m.put("parameters", parameters);
    m.put("vectors", new ArrayList<>(vectors.keySet()));
    m.put("counters", counters);
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      float[] v = e.getValue();
      HadoopFiles.writeAtomically(new Path(dir, e.getKey() + ".npy"), conf,
          out -> Npy.write(out, v, v.length));
    }
    HadoopFiles.writeString(new Path(dir, SUMMARY), conf, Json.write(m));
  }

  /**
   * The state saved in a checkpoint folder, or null when it has none (saved without momentum,
   * or by an earlier version).
   *
   * @throws IllegalStateException if it is corrupt
   */
  public static OptimState read(Path checkpoint, Configuration conf) throws IOException {
    Path dir = new Path(checkpoint, FOLDER);
    Path summary = new Path(dir, SUMMARY);
    if (!summary.getFileSystem(conf).exists(summary)) {
      return null;
    }
    JsonNode n = Json.MAPPER.readTree(HadoopFiles.readString(summary, conf));
    if (!n.has("optimizer") || !n.has("engine") || !n.has("parameters")
        || !n.path("vectors").isArray()) {
      throw new IllegalStateException("optimiser state " + summary + " lacks optimizer, "
          + "engine, parameters or vectors");
    }
    long parameters = n.get("parameters").asLong();
    Map<String, float[]> vectors = new LinkedHashMap<>();
    for (JsonNode name : n.get("vectors")) {
      float[] v = Npy.read(new Path(dir, name.asText() + ".npy"), conf).floats();
      if (v.length != parameters) {
        throw new IllegalStateException("optimiser state " + dir + "/" + name.asText()
            + ".npy holds " + v.length + " values, not the " + parameters + " its summary says");
      }
      vectors.put(name.asText(), v);
    }
    Map<String, Integer> counters = new LinkedHashMap<>();
    n.path("counters").fields().forEachRemaining(e -> counters.put(e.getKey(),
        e.getValue().asInt()));
    return new OptimState(n.get("optimizer").asText(), n.get("engine").asText(), parameters,
        vectors, counters);
  }

  /** One partition's share; null vectors when the optimiser has taken no step yet. */
  record Slice(int partition, Map<String, float[]> vectors, int counter)
      implements Serializable {
    /** Share {@code i} as the optimiser {@code state} of that partition holds it. */
    @SuppressWarnings("unchecked")
    static Slice of(int i, Table state, List<String> names) {
      Map<String, float[]> v = new LinkedHashMap<>();
      for (String name : names) {
        scala.Option<Object> t = state.get(name);
        if (t.isEmpty()) {
          return new Slice(i, null, 0);
        }
        v.put(name, Bigdl.toArray((Tensor<Object>) t.get()));
      }
      scala.Option<Object> counter = state.get(ADAM_COUNTER);
      return new Slice(i, v, counter.isDefined() ? (Integer) counter.get() : 0);
    }
  }

  /** The vector names of an optimiser of {@code kind}. */
  static List<String> vectors(String kind) {
    return vectorNames(kind);
  }
}
