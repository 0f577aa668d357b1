package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.models.utils.ModelBroadcast;
import com.intel.analytics.bigdl.models.utils.ModelBroadcast$;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.OptimMethod;
import com.intel.analytics.bigdl.parameters.AllReduceParameter;
import com.intel.analytics.bigdl.parameters.AllReduceParameter$;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.GpuClaim;
import org.ttcspark.train.BatchStats;
import org.ttcspark.train.LossScaler;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.PreparedImages;
import org.ttcspark.train.SliceLoss;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;
import scala.Tuple2;
import scala.runtime.AbstractFunction1;

/**
 * One global-batch iteration as three Spark jobs over per-slice model copies that stay cached
 * on the executors, with BigDL's {@link AllReduceParameter} for the parameter exchange and
 * BigDL's optimiser for the update, the way DistriOptimizer uses them:
 *
 * <ol>
 *   <li>{@link #forward}: every slice fetches the current weights, draws its samples' views
 *       (seeded by run seed, epoch, sample and view), forwards them in training mode and
 *       returns its projections; the activations stay in the slice's model;
 *   <li>the caller computes the loss over all slices on the driver ({@link SliceLoss});
 *   <li>{@link #backward}: every slice back-propagates its rows of the loss gradient through
 *       the activations it kept (no second forward, so BatchNorm's running statistics move once
 *       per iteration) and puts its parameter gradient into the all-reduce;
 *   <li>{@link #update}: every slice sums its shard of the gradient over all slices (the exact
 *       gradient of the global loss), applies the optimiser to its shard of the weights and
 *       publishes it.
 * </ol>
 *
 * <p>One slice in fp32 exchanges nothing: its own flat vectors are the whole model, so the
 * optimiser updates them in place, and {@link #backwardAndUpdate} runs jobs 2 and 3 as one.
 * Copying the 46 MB of a ResNet-18 through the all-reduce's blocks four times and a third
 * Spark job cost more than the update itself; the values are bit-identical either way
 * ({@code GlobalStepSparkTest}).
 *
 * <p>A slice's state (model, weight shard, optimiser state) lives on the executor that built
 * it. Every job checks that the slice still holds the state of the step the driver expects; if
 * an executor was lost or the cached copy evicted, the job fails with a message that names the
 * slice and says how to continue, instead of training on from stale weights.
 */
final class GlobalStep implements AutoCloseable {
  private final JavaSparkContext sc;
  private JavaRDD<SliceData> data;
  private final JavaRDD<SliceModel> models;
  /** The exchange between slices, or null when one slice in fp32 has nothing to exchange. */
  private final AllReduceParameter<Object> parameters;
  private final ModelBroadcast<Object> broadcast;
  private final SliceSchedule schedule;
  private final ViewSource views;
  private final int viewsPerSample;
  private final long seed;
  private final int smallestSlice;
  private long step;
  private double keyMomentum = Double.NaN;
  private boolean keysSkippable;
  private Broadcast<float[]> keyStart;
  private String prefetch;
  private LongAccumulator drawTime;

  /** The samples of one slice, sorted by sample key. */
  record SliceData(TrainSample[] samples) implements Serializable {}

  /**
   * Lays {@code samples} over the schedule's slices, builds one model copy per slice from
   * {@code model} (and, if given, the optimiser's saved state) and initialises the all-reduce.
   *
   * @param model the model to train (an IRGraph in MklDnn mode); its weights are the start
   * @param optim the optimiser; every slice gets a copy for its shard
   * @param carried the optimiser state to continue from (resume), or null
   * @param firstStep updates done before (0 for a new run)
   * @param compress how gradients and weights travel: {@code fp32} (exact) or {@code fp16}
   */
  GlobalStep(JavaSparkContext sc, JavaRDD<TrainSample> samples, SliceSchedule schedule,
      AbstractModule<Activity, Activity, Object> model, OptimMethod<Object> optim,
      OptimState carried, ViewSource views, int viewsPerSample, long seed, long firstStep,
      String compress) {
    this(sc, samples, schedule, model, optim, carried, views, viewsPerSample, seed, firstStep,
        compress, SliceCompute.bigdl());
  }

  /**
   * As above, with the slices' forward and backward computed by {@code compute} (the BigDL
   * model, or PyTorch for {@code engine.type = torch}) on their executors.
   */
  GlobalStep(JavaSparkContext sc, JavaRDD<TrainSample> samples, SliceSchedule schedule,
      AbstractModule<Activity, Activity, Object> model, OptimMethod<Object> optim,
      OptimState carried, ViewSource views, int viewsPerSample, long seed, long firstStep,
      String compress, SliceCompute.Factory compute) {
    // fp16 with one slice still rounds what would travel, as it would on more slices
    this(sc, samples, schedule, model, optim, carried, views, viewsPerSample, seed, firstStep,
        compress, compute, schedule.slices() > 1 || compress.equals("fp16"));
  }

  /**
   * As above; {@code exchange} false (one slice in fp32 only) updates the slice's own vectors
   * in place, true sends them through the all-reduce even for one slice (the reference the
   * in-place update is checked against).
   */
  GlobalStep(JavaSparkContext sc, JavaRDD<TrainSample> samples, SliceSchedule schedule,
      AbstractModule<Activity, Activity, Object> model, OptimMethod<Object> optim,
      OptimState carried, ViewSource views, int viewsPerSample, long seed, long firstStep,
      String compress, SliceCompute.Factory compute, boolean exchange) {
    if (!exchange && (schedule.slices() > 1 || compress.equals("fp16"))) {
      throw new IllegalArgumentException("only one slice in fp32 trains without an exchange, "
          + "not " + schedule.slices() + " slices in " + compress);
    }
    this.sc = sc;
    this.schedule = schedule;
    this.views = views;
    this.viewsPerSample = viewsPerSample;
    this.seed = seed;
    this.step = firstStep;
    this.data = layout(sc, samples, schedule);
    this.smallestSlice = smallest(data, schedule);
    if (!compute.device().equals("cpu")) {
      checkGpuClaims(data, compute.device());
    }
    int size = (int) model.getParameters()._1().nElement();
    this.parameters = !exchange ? null
        : AllReduceParameter$.MODULE$.newParameter(schedule.slices(), size, 1,
            compress.equals("fp16") ? "fp16" : "none", Bigdl.FLOAT, Bigdl.NUMERIC);
    this.broadcast = ModelBroadcast$.MODULE$.<Object>apply(Bigdl.FLOAT, Bigdl.NUMERIC)
        .broadcast(sc.sc(), model);
    Broadcast<OptimMethod<Object>> optimCopy = sc.broadcast(optim);
    Broadcast<OptimState> stateCopy = sc.broadcast(carried);
    AllReduceParameter<Object> p = parameters;
    ModelBroadcast<Object> b = broadcast;
    long start = firstStep;
    int nodes = Engine$.MODULE$.nodeNumber();
    int cores = Engine$.MODULE$.coreNumber();
    int n = schedule.slices();
    this.models = data.mapPartitions((Iterator<SliceData> ignored) -> {
      Engine$.MODULE$.setNodeAndCore(nodes, cores);
      int slice = TaskContext.getPartitionId();
      OptimState state = stateCopy.value();
      OptimMethod<Object> mine = state == null ? optimCopy.value().clone()
          : state.share(optimCopy.value(), slice, n);
      return Collections.singletonList(SliceModel.create(b, p, mine, start, compute))
          .iterator();
    }).persist(StorageLevel.MEMORY_ONLY());
    models.count();
  }

  /**
   * Stops before any model is built on a GPU when two executors of a host would compute on the
   * same GPU (Spark 2.4 schedules none; each executor's environment must give it its own).
   * Asks the executors that hold the slices, where the slices' models will live.
   */
  static void checkGpuClaims(JavaRDD<?> slices, String device) {
    List<GpuClaim> claims = slices.mapPartitions(ignored -> {
      SparkEnv env = SparkEnv.get();
      return Collections.singletonList(GpuClaim.ofThisProcess(
          env.blockManager().blockManagerId().host(), env.executorId(), device)).iterator();
    }).collect();
    List<String> conflicts = GpuClaim.conflicts(claims);
    if (!conflicts.isEmpty()) {
      throw new IllegalStateException("engine.device = " + device + ": executors would share "
          + "a GPU: " + String.join("; ", conflicts) + ". Spark 2.4 schedules no GPUs: give "
          + "every executor a GPU of its own (one worker per GPU, each started with its own "
          + "CUDA_VISIBLE_DEVICES; README, \"GPU executors\")");
    }
  }

  /**
   * Trains on {@code samples} from now on (the same ids, e.g. with new cluster ids): laid over
   * the same slices, so every sample stays where its slice's model is.
   */
  void replaceSamples(JavaRDD<TrainSample> samples) {
    JavaRDD<SliceData> old = data;
    data = layout(sc, samples, schedule);
    int smallest = smallest(data, schedule);
    if (smallest != smallestSlice) {
      throw new IllegalStateException("the new train samples lay out over the slices "
          + "differently (smallest slice " + smallest + " instead of " + smallestSlice + ")");
    }
    old.unpersist(false);
  }

  private static int smallest(JavaRDD<SliceData> data, SliceSchedule schedule) {
    int smallest = data.map(d -> d.samples().length).collect().stream()
        .mapToInt(Integer::intValue).min().orElse(0);
    if (schedule.iterationsPerEpoch(smallest) < 1) {
      throw new IllegalArgumentException("the smallest of " + schedule.slices() + " slices holds "
          + smallest + " train samples, fewer than the " + schedule.perSlice() + " a slice "
          + "takes per iteration; lower train.batch-size or train.global.slices");
    }
    return smallest;
  }

  /**
   * From the next forward on, view 1 of every sample is encoded by a momentum copy of the
   * model kept on each slice ({@link MomentumKeys}, PaCo's key encoder) and receives no
   * gradient; view 0 alone is trained. Needs two views per sample.
   *
   * @param start the key weights to start from (a resumed run's), or null: the first query
   *     weights
   * @param skippable whether updates may be skipped ({@code update(..., false)}, fp16 loss
   *     scaling): every slice then keeps its key weights from before each momentum update, so
   *     that a skipped update can put them back (one more copy of the weights per slice)
   */
  void momentumKeys(double momentum, float[] start, boolean skippable) {
    if (viewsPerSample != 2) {
      throw new IllegalArgumentException("momentum keys need 2 views per sample, not "
          + viewsPerSample);
    }
    keyMomentum = momentum;
    keysSkippable = skippable;
    keyStart = start == null ? null : sc.broadcast(start);
  }

  /** Slice 0's key encoder weights (all slices hold the same), or null without keys yet. */
  float[] keyWeights() {
    List<float[]> w = models.mapPartitionsWithIndex((i, m) -> {
      MomentumKeys keys = i == 0 ? m.next().keys : null;
      return keys == null || keys.weights() == null ? Collections.<float[]>emptyIterator()
          : Collections.singletonList(keys.weights()).iterator();
    }, false).collect();
    return w.isEmpty() ? null : w.get(0);
  }

  /** Global batch in samples. */
  int batchSize() {
    return schedule.batchSize();
  }

  /** Iterations per epoch: as many as the smallest slice fills completely. */
  int iterationsPerEpoch() {
    return schedule.iterationsPerEpoch(smallestSlice);
  }

  /** Updates done so far. */
  long step() {
    return step;
  }

  /**
   * Job 1: forwards iteration {@code k} (0-based) of {@code epoch} on every slice.
   *
   * @return the slices' projections, labels, cluster ids and sample keys, in slice order
   */
  List<SliceLoss.Slice> forward(int epoch, int k) {
    Forward f = forwardPlan();
    long expected = step;
    List<Tuple2<Integer, SliceLoss.Slice>> out = data.zipPartitions(models,
        (Iterator<SliceData> d, Iterator<SliceModel> m) -> {
          int slice = TaskContext.getPartitionId();
          SliceModel model = m.next().expect(expected, slice);
          SliceData mine = d.next();
          SliceLoss.Slice projected = f.run(mine, model, slice, epoch, k);
          // drawn while the driver computes the loss and the slices back-propagate
          f.ahead(mine, model, slice, epoch, k);
          return Collections.singletonList(new Tuple2<>(slice, projected)).iterator();
        }).collect();
    SliceLoss.Slice[] ordered = new SliceLoss.Slice[schedule.slices()];
    for (Tuple2<Integer, SliceLoss.Slice> t : out) {
      ordered[t._1()] = t._2();
    }
    return Arrays.asList(ordered);
  }

  /** What a slice's forward needs from the driver, captured once per job. */
  private Forward forwardPlan() {
    return new Forward(parameters, schedule, views, viewsPerSample, seed, keyMomentum,
        keysSkippable, keyStart, broadcast, prefetch, drawTime, iterationsPerEpoch());
  }

  /**
   * A slice's forward of one iteration: draws (or takes the prefetched) views of its samples
   * and forwards them; with prefetch, {@link #ahead} starts drawing its next batch.
   */
  private record Forward(AllReduceParameter<Object> p, SliceSchedule schedule, ViewSource views,
      int viewsPerSample, long seed, double keyMomentum, boolean keysSkippable,
      Broadcast<float[]> keyStart, ModelBroadcast<Object> broadcast, String prefetch,
      LongAccumulator draws, int iterations) implements Serializable {

    SliceLoss.Slice run(SliceData mine, SliceModel slot, int slice, int epoch, int k) {
      SliceModel model = slot.withKeys(keyMomentum, broadcast, keyStart, keysSkippable);
      int size = mine.samples().length;
      List<TrainSample> chunk = pick(mine, model.positions(schedule, epoch, k, slice, size));
      ViewBatcher batcher = new ViewBatcher(chunk.size(), views, seed, epoch, viewsPerSample);
      long start = System.nanoTime();
      float[] input = prefetch == null ? batcher.draw(chunk)
          : ViewPrefetch.take(prefetch, epoch, slice, chunk, () -> batcher.draw(chunk));
      if (draws != null) {
        draws.add(System.nanoTime() - start);
      }
      return model.forward(p, batcher.assemble(chunk, input), chunk, epoch, k);
    }

    /**
     * With prefetch, starts drawing the slice's batch after iteration {@code k} of
     * {@code epoch} in the background: the next epoch's first after an epoch's last.
     */
    void ahead(SliceData mine, SliceModel model, int slice, int epoch, int k) {
      if (prefetch == null) {
        return;
      }
      int size = mine.samples().length;
      boolean same = k + 1 < iterations;
      int nextEpoch = same ? epoch : epoch + 1;
      List<TrainSample> next = pick(mine, same
          ? model.positions(schedule, epoch, k + 1, slice, size)
          : schedule.positions(nextEpoch, 0, slice, size));
      ViewBatcher batcher = new ViewBatcher(next.size(), views, seed, nextEpoch, viewsPerSample);
      ViewPrefetch.ahead(prefetch, nextEpoch, slice, next, () -> batcher.draw(next));
    }
  }

  /** The samples at positions {@code at} of a slice. */
  private static List<TrainSample> pick(SliceData slice, int[] at) {
    List<TrainSample> chunk = new ArrayList<>(at.length);
    for (int i : at) {
      chunk.add(slice.samples()[i]);
    }
    return chunk;
  }

  /**
   * From the next forward on, draws every slice's next batch of views in the background
   * ({@link ViewPrefetch}) under {@code token} (null: off), and adds the nanoseconds each slice
   * spends getting its views to {@code draws} (null: not measured).
   */
  void prefetching(String token, LongAccumulator draws) {
    this.prefetch = token;
    this.drawTime = draws;
  }

  /** Job 2: back-propagates each slice's rows of the loss gradient and puts the gradients. */
  void backward(int epoch, int k, List<float[]> gradients) {
    backward(epoch, k, gradients, 1.0);
  }

  /**
   * Job 2 with loss scaling (fp16): {@code gradients} were multiplied by {@code scale}; every
   * slice divides its fp32 parameter gradient by it before the all-reduce (so fp16-compressed
   * exchange sees unscaled values) and checks it. The all-reduced gradient is finite exactly
   * when every slice's is (barring an fp32 overflow of the sum).
   *
   * @return whether every slice's gradient is finite (always true for a scale of 1, unchecked)
   */
  boolean backward(int epoch, int k, List<float[]> gradients, double scale) {
    AllReduceParameter<Object> p = parameters;
    long expected = step;
    float[][] grads = gradients.toArray(new float[0][]);
    List<Boolean> finite = models.map(m -> {
      int slice = TaskContext.getPartitionId();
      return m.expect(expected, slice).backward(p, grads[slice], epoch, k, slice, scale);
    }).collect();
    return !finite.contains(false);
  }

  /**
   * Job 3: sums the gradient shards, applies the optimiser at position ({@code epoch},
   * {@code neval}) and publishes the new weights.
   */
  void update(int epoch, int neval, float loss) {
    update(epoch, neval, loss, true);
  }

  /**
   * Job 3, or with {@code apply} false the step skipped (loss scaling's non-finite gradient):
   * weights, optimiser state and the momentum key encoder stay as before the step's forward,
   * the step still counts.
   */
  void update(int epoch, int neval, float loss, boolean apply) {
    AllReduceParameter<Object> p = parameters;
    long expected = step;
    models.foreachPartition(m -> {
      int slice = TaskContext.getPartitionId();
      SliceModel model = m.next().expect(expected, slice);
      if (apply) {
        model.update(p, epoch, neval, loss);
      } else {
        model.skip();
      }
    });
    step++;
  }

  /** How an iteration's end went: whether its update was applied, and how long it took. */
  record Ended(boolean applied, double updateSeconds) implements Serializable {}

  /**
   * Jobs 2 and 3 as {@code GlobalTrainer} runs them: back-propagates {@code gradients} (scaled
   * by {@code scale}, as {@link #backward}) and applies the update at position ({@code epoch},
   * {@code neval}) when every slice's gradient is finite, else skips it (fp16 loss scaling).
   * Without an exchange (one slice in fp32) both happen in one job, the update right after the
   * backward on the slice's own vectors.
   *
   * @return whether the update was applied, and the seconds it took (the update job's, or the
   *     slice's update inside the one job)
   */
  Ended backwardAndUpdate(int epoch, int k, int neval, float loss, List<float[]> gradients,
      double scale) {
    if (parameters != null) {
      boolean finite = backward(epoch, k, gradients, scale);
      long start = System.nanoTime();
      update(epoch, neval, loss, finite);
      return new Ended(finite, (System.nanoTime() - start) / 1e9);
    }
    long expected = step;
    float[][] grads = gradients.toArray(new float[0][]);
    List<Ended> ends = models.map(m -> {
      int slice = TaskContext.getPartitionId();
      SliceModel model = m.expect(expected, slice);
      boolean finite = model.backward(null, grads[slice], epoch, k, slice, scale);
      long start = System.nanoTime();
      if (finite) {
        model.update(null, epoch, neval, loss);
      } else {
        model.skip();
      }
      return new Ended(finite, (System.nanoTime() - start) / 1e9);
    }).collect();
    step++;
    return ends.get(0);
  }

  /** Whether {@link #iterate} may run: one slice in fp32, nothing to exchange. */
  boolean alone() {
    return parameters == null;
  }

  /**
   * What one whole iteration on the lone slice gave: its loss and batch statistics, whether
   * its update was applied, and the seconds the slice spent in the loss, the backward and the
   * update.
   */
  record Iterated(double loss, BatchStats stats, boolean applied, double lossSeconds,
      double backwardSeconds, double updateSeconds) implements Serializable {}

  /**
   * Iteration {@code k} of {@code epoch} as one Spark job on the lone slice ({@link #alone}):
   * its batch is the whole global batch, so the slice computes the loss itself and goes on to
   * the backward and the update, instead of sending its projections to the driver and waiting
   * for two more jobs. The same values as {@link #forward}, {@link SliceLoss#evaluate} on the
   * driver and {@link #backwardAndUpdate}, bit for bit; one Spark job instead of two, which on
   * one executor is what separates the full step from the bare one.
   *
   * @param loss the contrastive loss
   * @param dim projection dimension
   * @param drawSeed the loss's seed for this iteration
   * @param scale what the loss gradient is multiplied by (fp16 loss scaling), or 1
   */
  Iterated iterate(int epoch, int k, int neval, ContrastiveLoss loss, int dim, long drawSeed,
      double scale) {
    if (parameters != null || !Double.isNaN(keyMomentum)) {
      throw new IllegalStateException("one job per iteration needs one slice in fp32 and no "
          + "key encoder, not " + schedule.slices() + " slice(s)"
          + (parameters == null ? "" : " exchanging") + (Double.isNaN(keyMomentum) ? ""
              : " with a key encoder"));
    }
    Forward f = forwardPlan();
    long expected = step;
    int nv = viewsPerSample;
    Iterated out = data.zipPartitions(models,
        (Iterator<SliceData> d, Iterator<SliceModel> m) -> {
          SliceModel model = m.next().expect(expected, 0);
          SliceData mine = d.next();
          SliceLoss.Slice projected = f.run(mine, model, 0, epoch, k);
          long t0 = System.nanoTime();
          SliceLoss.Result r = SliceLoss.evaluate(LossScope.GLOBAL, loss, List.of(projected), nv,
              dim, drawSeed);
          float lossValue = (float) r.loss();
          long t1 = System.nanoTime();
          boolean finite = Float.isFinite(lossValue) && model.backward(null,
              scale == 1.0 ? r.gradients().get(0) : LossScaler.scaled(r.gradients().get(0), scale),
              epoch, k, 0, scale);
          long t2 = System.nanoTime();
          if (finite) {
            model.update(null, epoch, neval, lossValue);
          } else {
            model.skip();
          }
          long t3 = System.nanoTime();
          // drawn between this job and the next, not beside the loss and the backward: on an
          // executor whose cores the model's threads fill, a third busy thread slows them more
          // than the drawing costs
          f.ahead(mine, model, 0, epoch, k);
          return Collections.singletonList(new Iterated(r.loss(), r.stats(), finite,
              (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9)).iterator();
        }).collect().get(0);
    step++;
    return out;
  }

  /**
   * The gradient summed over all slices (what {@link #update} would apply), as one flat vector
   * in the model's parameter layout: for checking, after {@link #backward}.
   */
  float[] summedGradient() {
    AllReduceParameter<Object> p = parameters;
    return assemble(models.map(m -> {
      if (p == null) {
        return new Tuple2<>(0, Bigdl.toArray(m.gradients));
      }
      p.aggregateGradientPartition(1);
      return shard(p, p.gradientPartition());
    }).collect());
  }

  /**
   * Copies the current weights, and slice 0's BatchNorm running statistics, into
   * {@code target}, a model of the same layout (the driver's copy).
   */
  void pullWeights(AbstractModule<Activity, Activity, Object> target) {
    AllReduceParameter<Object> p = parameters;
    float[] w = assemble(models.map(m -> p == null ? new Tuple2<>(0, Bigdl.toArray(m.weights))
        : shard(p, p.weightPartition())).collect());
    Tensor<Object> flat = target.getParameters()._1();
    System.arraycopy(w, 0, Bigdl.floats(flat), flat.storageOffset() - 1, w.length);
    List<float[][]> extra = models.mapPartitionsWithIndex((i, m) -> i == 0
        ? Collections.singletonList(m.next().extraParameters()).iterator()
        : Collections.<float[][]>emptyIterator(), false).collect();
    Tensor<Object>[] targetExtra = target.getExtraParameter();
    if (targetExtra != null && !extra.isEmpty()) {
      for (int i = 0; i < targetExtra.length; i++) {
        Tensor<Object> t = targetExtra[i];
        t.copy(Bigdl.tensor(extra.get(0)[i], t.size()));
      }
    }
  }

  /**
   * The optimiser state of every slice as one {@link OptimState} (the layout of the engine's
   * training model), or null before the first update or for an optimiser without state.
   */
  OptimState optimState(OptimMethod<Object> optim, String engine) {
    String kind = OptimState.kind(optim);
    if (kind == null) {
      return null;
    }
    List<String> names = OptimState.vectors(kind);
    List<OptimState.Slice> shares = models.mapPartitionsWithIndex((i, m) ->
        Collections.singletonList(OptimState.Slice.of(i, m.next().optim.state(), names))
            .iterator(), true).collect();
    return OptimState.assemble(kind, engine, shares);
  }

  @Override
  public void close() {
    models.unpersist(false);
    data.unpersist(false);
    if (keyStart != null) {
      keyStart.unpersist(false);
    }
  }

  /** This slice's shard with its 0-based start in the flat parameter vector. */
  static Tuple2<Integer, float[]> shard(AllReduceParameter<Object> p, Tensor<Object> part) {
    int start = (Integer) p.localPartitionRange()._1() - p.paramOffset();
    return new Tuple2<>(start, Bigdl.toArray(part));
  }

  private static float[] assemble(List<Tuple2<Integer, float[]>> shards) {
    int n = 0;
    for (Tuple2<Integer, float[]> s : shards) {
      n = Math.max(n, s._1() + s._2().length);
    }
    float[] out = new float[n];
    for (Tuple2<Integer, float[]> s : shards) {
      System.arraycopy(s._2(), 0, out, s._1(), s._2().length);
    }
    return out;
  }

  /** One partition per slice, cached: {@link SeededDataSet#layout}, as local scope lays it. */
  static JavaRDD<SliceData> layout(JavaSparkContext sc, JavaRDD<TrainSample> samples,
      SliceSchedule schedule) {
    JavaRDD<SliceData> out = SeededDataSet.layout(sc, samples, schedule).map(SliceData::new)
        .persist(PreparedImages.CACHED);
    out.count();
    return out;
  }

  /** A slice's state on its executor: model copy, flat weights and gradients, optimiser. */
  static final class SliceModel {
    private final SliceCompute.Factory factory;
    private final SliceCompute compute;
    private final Tensor<Object> weights;
    private final Tensor<Object> gradients;
    private final OptimMethod<Object> optim;
    private long step;
    private int forwardEpoch = -1;
    private int forwardIteration = -1;
    private int orderEpoch = -1;
    private int[] order;
    private MomentumKeys keys;
    private int outputWidth;

    private SliceModel(AbstractModule<Activity, Activity, Object> model,
        OptimMethod<Object> optim, long step, SliceCompute.Factory compute) {
      Tuple2<Tensor<Object>, Tensor<Object>> flat = model.getParameters();
      this.weights = flat._1();
      this.gradients = flat._2();
      this.factory = compute;
      this.compute = compute.create(model, weights, gradients);
      this.optim = optim;
      this.step = step;
    }

    static SliceModel create(ModelBroadcast<Object> broadcast, AllReduceParameter<Object> p,
        OptimMethod<Object> optim, long step, SliceCompute.Factory compute) {
      AbstractModule<Activity, Activity, Object> model = broadcast.value(true, false);
      SliceModel m = new SliceModel(model, optim, step, compute);
      if (p != null) {
        p.init(m.weights.narrow(1, p.paramOffset(), p.size()), Bigdl.NUMERIC);
      }
      return m;
    }

    /**
     * The positions iteration {@code k} of {@code epoch} takes from this slice: the epoch's
     * permutation is drawn once per epoch, not once per iteration.
     */
    int[] positions(SliceSchedule s, int epoch, int k, int slice, int size) {
      if (orderEpoch != epoch) {
        order = s.order(epoch, slice, size);
        orderEpoch = epoch;
      }
      return s.positions(order, k);
    }

    /** This slice, with its momentum key encoder made on first use when momentum is set. */
    SliceModel withKeys(double momentum, ModelBroadcast<Object> broadcast,
        Broadcast<float[]> start, boolean skippable) {
      if (!Double.isNaN(momentum) && keys == null) {
        keys = new MomentumKeys(broadcast, momentum, start == null ? null : start.value(),
            factory, skippable);
      }
      return this;
    }

    /** A skipped update: the key encoder's momentum update of this step's forward undone. */
    void skip() {
      if (keys != null) {
        keys.undo();
      }
      step++;
    }

    /** This slice, if it holds the state of step {@code expected}. */
    SliceModel expect(long expected, int slice) {
      if (step != expected) {
        throw new IllegalStateException("slice " + slice + " holds the model state of update "
            + step + " but the driver is at update " + expected + ": its executor was lost or "
            + "its cached copy evicted; the run stops here, continue it with --resume from "
            + "the last checkpoint");
      }
      return this;
    }

    SliceLoss.Slice forward(AllReduceParameter<Object> p, ViewBatch batch,
        List<TrainSample> chunk, int epoch, int k) {
      if (p != null) {
        p.getWeights(weights.narrow(1, p.paramOffset(), p.size())).waitResult();
      }
      Tensor<Object> full = (Tensor<Object>) batch.getInput();
      Tensor<Object> input = keys == null ? full : MomentumKeys.view(full, 2, 0);
      float[] out = compute.forward(input);
      outputWidth = out.length / (int) input.size(1);
      float[] rows = keys == null ? out : MomentumKeys.interleave(out,
          keys.encode(weights, MomentumKeys.view(full, 2, 1)), outputWidth);
      forwardEpoch = epoch;
      forwardIteration = k;
      int b = chunk.size();
      int[] labels = new int[b];
      int[] clusters = new int[b];
      long[] sampleKeys = new long[b];
      for (int i = 0; i < b; i++) {
        labels[i] = chunk.get(i).label();
        clusters[i] = chunk.get(i).cluster();
        sampleKeys[i] = Augmentations.sampleKey(chunk.get(i).id());
      }
      return new SliceLoss.Slice(rows, labels, clusters, sampleKeys);
    }

    boolean backward(AllReduceParameter<Object> p, float[] gradient, int epoch, int k,
        int slice, double scale) {
      if (forwardEpoch != epoch || forwardIteration != k) {
        throw new IllegalStateException("slice " + slice + " last forwarded iteration "
            + forwardIteration + " of epoch " + forwardEpoch + ", not " + k + " of " + epoch
            + ": the backward job ran where the forward did not");
      }
      compute.backward(keys == null ? gradient : MomentumKeys.queryRows(gradient, outputWidth));
      boolean finite = scale == 1.0 || LossScaler.unscale(Bigdl.floats(gradients),
          gradients.storageOffset() - 1, (int) gradients.nElement(), scale);
      if (p != null) {
        p.putGradients(gradients.narrow(1, p.paramOffset(), p.size()));
      }
      return finite;
    }

    /**
     * Applies the optimiser: to this slice's shard of the all-reduced gradient and weights, or
     * without an exchange ({@code p} null) to the slice's own vectors, which are the whole.
     */
    void update(AllReduceParameter<Object> p, int epoch, int neval, float loss) {
      if (p != null) {
        p.aggregateGradientPartition(1);
      }
      optim.state().update("epoch", epoch);
      optim.state().update("neval", neval);
      optim.state().update("Loss", loss);
      Tensor<Object> g = p == null ? gradients : p.gradientPartition();
      optim.optimize(new AbstractFunction1<Tensor<Object>, Tuple2<Object, Tensor<Object>>>() {
        @Override
        public Tuple2<Object, Tensor<Object>> apply(Tensor<Object> x) {
          return new Tuple2<>(loss, g);
        }
      }, p == null ? weights : p.weightPartition());
      if (p != null) {
        p.sendWeightPartition();
      }
      step++;
    }

    /** BatchNorm running statistics (BigDL's extra parameters) of this copy. */
    float[][] extraParameters() {
      return compute.extraParameters();
    }

  }
}
