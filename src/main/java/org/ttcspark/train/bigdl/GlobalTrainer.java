package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.OptimMethod;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.model.bigdl.DnnWeights;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.DriverObjective;
import org.ttcspark.train.LossScaler;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.SliceLoss;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * The epochs of global loss scope: every iteration computes the contrastive loss over the whole
 * global batch on the driver and gives each slice the exact gradient of that loss for its
 * samples ({@link GlobalStep}); the slices compute with BigDL's model or with PyTorch
 * ({@link #computingWith}). The optimiser state goes into every checkpoint (a resumed run
 * continues exactly). The loop around the epochs is {@link EpochLoop}'s.
 */
public final class GlobalTrainer extends EpochStepper {
  private final SliceSchedule schedule;
  private final long seed;
  private final int views;
  private final int dim;
  private final String compress;
  private DriverObjective objective;
  private AbstractModule<Activity, Activity, Object> featureModel;
  private SliceCompute.Factory compute = SliceCompute.bigdl();
  private boolean torch;
  private GlobalStep step;
  private JavaRDD<TrainSample> current;
  private long done;
  private int lastEpoch;
  private float[] keyStart;
  private LossScaler scaler;

  /**
   * @param model the plain BigDL model (what checkpoints store; receives the trained weights)
   * @param optim the optimiser (its state's epoch and neval say where training stands)
   * @param schedule the slices and their walk through the data
   * @param seed run seed (augmentation and loss draws)
   * @param views views per sample
   * @param dim projection dimension
   * @param compress {@code fp32} or {@code fp16}: how gradients and weights travel
   * @param doneIterations iterations done before the first epoch this trainer trains
   */
  public GlobalTrainer(AbstractModule<Activity, Activity, Object> model,
      OptimMethod<Object> optim, SliceSchedule schedule, long seed, int views, int dim,
      String compress, long doneIterations) {
    super(model, optim);
    this.schedule = schedule;
    this.seed = seed;
    this.views = views;
    this.dim = dim;
    this.compress = compress;
    this.done = doneIterations;
  }

  /**
   * Slices when {@code train.global-slices} is 0: one per model copy DistriOptimizer would use
   * (per executor in MklDnn mode, per core in MklBlas mode), so both scopes split the work
   * alike.
   */
  public static int defaultSlices() {
    return DistriTrainer.partitions() * DistriTrainer.replicasPerPartition();
  }

  /** Iterations per epoch over {@code trainCount} samples: what the smallest slice fills. */
  public static int iterationsPerEpoch(long trainCount, SliceSchedule schedule) {
    return schedule.iterationsPerEpoch((int) (trainCount / schedule.slices()));
  }

  /**
   * Trains with an objective that has parameters of its own on the driver (BCL, PaCo) instead
   * of the epoch's contrastive criterion: the slices train {@code featureModel} (the encoder
   * with the backbone feature appended, sharing its layers) and the objective computes the
   * loss and the slices' gradients on the driver.
   *
   * @param objective the driver's objective; its views must be the constructor's
   * @param featureModel {@link org.ttcspark.model.bigdl.Encoders#withFeatures} of the model
   * @return this trainer
   */
  public GlobalTrainer withObjective(DriverObjective objective,
      AbstractModule<Activity, Activity, Object> featureModel) {
    if (objective.views() != views) {
      throw new IllegalArgumentException("the objective draws " + objective.views()
          + " views per sample, the trainer " + views);
    }
    this.objective = objective;
    this.featureModel = featureModel;
    this.trainModel = SparkRuntime.engineInUse() == EngineType.MKLDNN
        ? Encoders.onMklDnn((Sequential<Object>) (Object) featureModel) : featureModel;
    return this;
  }

  /**
   * Computes the slices in PyTorch ({@code engine.type = torch}, on {@code rc}'s device) rather
   * than with BigDL's model: the plain BigDL model (or, for BCL and PaCo, its plain feature
   * model, which shares its layers) then only holds the parameters; its flat layout, the MKL
   * BLAS one, is what the all-reduce and the checkpoints' optimiser state use. PaCo's key
   * encoder is then computed by PyTorch too. Call after {@link #withObjective}.
   *
   * @return this trainer
   */
  GlobalTrainer computingWith(org.ttcspark.platform.RuntimeConfig rc) {
    this.torch = rc.engineType() == EngineType.TORCH;
    this.compute = TorchSliceCompute.forRuntime(rc);
    this.scaler = rc.precision().scalesLoss() ? new LossScaler() : null;
    if (torch) {
      this.trainModel = featureModel != null ? featureModel : model;
    }
    return this;
  }

  @Override
  int batchSize() {
    return schedule.batchSize();
  }

  @Override
  void trainEpoch(int epoch, LossSeam.Epoch inputs, ViewSource trainViews,
      MetricsLog log) {
    if (step == null) {
      step = new GlobalStep(JavaSparkContext.fromSparkContext(inputs.samples().context()),
          inputs.samples(), schedule, trainModel, optim, carried, trainViews, views, seed, done,
          compress, compute);
      // the slices' time getting their views: a job's tasks report it through an accumulator
      org.apache.spark.util.LongAccumulator drawTime =
          inputs.samples().context().longAccumulator("ttc view draw nanoseconds");
      step.prefetching(prefetch, drawTime);
      log.viewTime(drawTime::sum, drawTime::count);
      if (momentumKeys()) {
        step.momentumKeys(objective.keyMomentum(), keyStart, scaler != null);
      }
    } else if (inputs.samples() != current) {
      step.replaceSamples(inputs.samples());
    }
    current = inputs.samples();
    ContrastiveLoss lossFn = objective == null ? contrastive(inputs.criterion()) : null;
    for (int k = 0; k < step.iterationsPerEpoch(); k++) {
      int neval = (int) done + 1;
      iteration(step, lossFn, log, epoch, k, neval, done);
      done++;
    }
    step.pullWeights(trainModel);
    DnnWeights.copyInto(trainModel, model);
    optim.state().update("epoch", epoch + 1);
    optim.state().update("neval", (int) done + 1);
    lastEpoch = epoch;
  }

  @Override
  long iterationsDone() {
    return done;
  }

  @Override
  double learningRate() {
    return rate(lastEpoch, (int) done);
  }

  @Override
  OptimState optimState() {
    return step.optimState(optim, stateEngine());
  }

  /**
   * Also takes the driver's state of BCL's and PaCo's heads (and PaCo's key queue and key
   * encoder) saved with the checkpoint, so that a resumed run continues exactly.
   */
  @Override
  void resumeFrom(Path checkpoint, RunFolder run, PrintStream console) throws IOException {
    super.resumeFrom(checkpoint, run, console);
    Map<String, double[]> state = RunFiles.readDriverState(checkpoint, run.hadoop());
    if (scaler != null && !scaler.restoreFrom(state)) {
      console.printf("resume: %s has no loss scale (an fp32 run): fp16 starts at %.0f%n",
          checkpoint, scaler.scale());
    }
    if (objective == null) {
      return;
    }
    RunFiles.KeyEncoder keys = momentumKeys()
        ? RunFiles.readKeyEncoder(checkpoint, run.hadoop()) : null;
    if (keys != null && !keys.plainLayout()) {
      // an earlier version's file, in the layout of the engine that wrote it (the one the
      // optimiser state records): only that engine reads it
      OptimState saved = OptimState.read(checkpoint, run.hadoop());
      if (saved != null && !saved.engine().equals(stateEngine())) {
        throw new IllegalArgumentException("--resume: " + RunFiles.KEY_ENCODER + " of "
            + checkpoint + " was written by an earlier version in " + saved.engine()
            + " mode, whose parameter layout this run (" + stateEngine() + ") does not read; "
            + "resume it with engine.type = " + saved.engine());
      }
    }
    keyStart = keys == null ? null : keys.plainLayout() ? fromPlain(keys.weights())
        : keys.weights();
    if (state == null || (momentumKeys() && keyStart == null)) {
      throw new IllegalArgumentException("--resume: checkpoint " + checkpoint + " has no "
          + "saved " + (state == null ? RunFiles.DRIVER_STATE : RunFiles.KEY_ENCODER) + " (the "
          + "driver's heads" + (momentumKeys() ? ", key queue and key encoder" : "") + "; "
          + "checkpoints of an earlier version lack it), so the run cannot continue exactly; "
          + "start a new run");
    }
    objective.restore(state);
  }

  @Override
  void writeExtras(Path folder, Configuration conf) throws IOException {
    if (objective == null) {
      if (scaler != null) {
        Map<String, double[]> state = new LinkedHashMap<>();
        scaler.saveTo(state);
        RunFiles.writeDriverState(folder, conf, state);
      }
      return;
    }
    Map<String, double[]> driver = new LinkedHashMap<>(objective.state());
    if (scaler != null) {
      scaler.saveTo(driver);
    }
    RunFiles.writeDriverState(folder, conf, driver);
    float[] keys = momentumKeys() ? step.keyWeights() : null;
    if (keys != null) {
      RunFiles.writeKeyEncoder(folder, conf, toPlain(keys));
    }
  }

  /**
   * Flat weights of the training model's layout in the plain model's layout, the one every
   * engine reads (PaCo's key encoder in checkpoints: a run resumes on another engine).
   */
  private float[] toPlain(float[] train) {
    int[] map = plainLayout();
    if (map == null) {
      return train;
    }
    float[] out = new float[map.length];
    for (int j = 0; j < map.length; j++) {
      out[j] = train[map[j]];
    }
    return out;
  }

  /** The inverse of {@link #toPlain}. */
  private float[] fromPlain(float[] plain) {
    int[] map = plainLayout();
    if (map == null) {
      return plain;
    }
    if (plain.length != map.length) {
      throw new IllegalArgumentException("the saved key encoder has " + plain.length
          + " weights, the model " + map.length);
    }
    float[] out = new float[map.length];
    for (int j = 0; j < map.length; j++) {
      out[map[j]] = plain[j];
    }
    return out;
  }

  /**
   * Where each weight of the plain model sits in the training model's flat vector
   * ({@code plain[j] = train[map[j]]}), or null when the two layouts are one (the torch and
   * MKL BLAS engines train the plain layers). For the MKL-DNN graph it is read off
   * {@link DnnWeights#copyInto} with probe weights that name their own index (in two parts,
   * each exact in float32), then the weights are put back.
   */
  private int[] plainLayout() {
    if (trainModel == model || trainModel == featureModel) {
      return null;
    }
    // per tensor, not through getParameters(): the two models share the head's layers, and
    // compacting one would move them out of the other's flat vector
    Tensor<Object>[] train = trainModel.parameters()._1();
    Tensor<Object>[] plain = model.parameters()._1();
    float[] saved = concat(train);
    int n = saved.length;
    if (concat(plain).length != n) {
      throw new IllegalStateException("the training model has " + n + " parameters, the plain "
          + "model " + concat(plain).length);
    }
    int[] map = new int[n];
    int radix = 4096;
    for (int pass = 0; pass < 2; pass++) {
      float[] probe = new float[n];
      for (int i = 0; i < n; i++) {
        probe[i] = pass == 0 ? i % radix : i / radix;
      }
      scatter(probe, train);
      DnnWeights.copyInto(trainModel, model);
      float[] got = concat(plain);
      for (int j = 0; j < n; j++) {
        map[j] += pass == 0 ? (int) got[j] : radix * (int) got[j];
      }
    }
    scatter(saved, train);
    DnnWeights.copyInto(trainModel, model);
    boolean[] seen = new boolean[n];
    for (int i : map) {
      if (i < 0 || i >= n || seen[i]) {
        throw new IllegalStateException("the training model's parameters do not map one to one "
            + "onto the plain model's");
      }
      seen[i] = true;
    }
    return map;
  }

  /** The tensors' values one after the other: their flat layout. */
  private static float[] concat(Tensor<Object>[] parts) {
    int n = 0;
    for (Tensor<Object> t : parts) {
      n += (int) t.nElement();
    }
    float[] out = new float[n];
    int pos = 0;
    for (Tensor<Object> t : parts) {
      float[] v = Bigdl.toArray(t);
      System.arraycopy(v, 0, out, pos, v.length);
      pos += v.length;
    }
    return out;
  }

  /** The inverse of {@link #concat}: {@code values} into the tensors. */
  private static void scatter(float[] values, Tensor<Object>[] parts) {
    int pos = 0;
    for (Tensor<Object> t : parts) {
      int n = (int) t.nElement();
      t.copy(Bigdl.tensor(Arrays.copyOfRange(values, pos, pos + n), t.size()));
      pos += n;
    }
  }

  private boolean momentumKeys() {
    return objective != null && !Double.isNaN(objective.keyMomentum());
  }

  @Override
  int validationBatch() {
    return schedule.batchSize();
  }

  @Override
  public void close() {
    if (step != null) {
      step.close();
    }
  }

  @Override
  String stateEngine() {
    return torch ? EngineType.MKLBLAS.name().toLowerCase() : DistriTrainer.engine();
  }

  /**
   * One iteration, logged with its phases: on a lone slice with a contrastive loss one Spark
   * job ({@link GlobalStep#iterate}), else the forward job, the loss on the driver and the
   * backward and update jobs.
   */
  private float iteration(GlobalStep step, ContrastiveLoss lossFn, MetricsLog log, int epoch,
      int k, int neval, long done) {
    double scale = scaler == null ? 1.0 : scaler.scale();
    long drawSeed = ContrastiveCriterion.drawSeed(seed, done);
    long t0 = System.nanoTime();
    GlobalStep.Iterated it = objective == null && step.alone()
        ? step.iterate(epoch, k, neval, lossFn, dim, drawSeed, scale)
        : throughDriver(step, lossFn, log, epoch, k, neval, drawSeed);
    double seconds = (System.nanoTime() - t0) / 1e9;
    float loss = (float) it.loss();
    if (!Float.isFinite(loss)) {
      log.emit(neval, loss, rate(epoch, neval), 0, Map.of()); // stops the run
    }
    settle(scaler, objective, it.applied());
    Map<String, Double> phases = new LinkedHashMap<>();
    if (scaler != null) {
      // the scale this step used; a skipped update shows as update_skipped = 1
      phases.put("loss_scale", scale);
      phases.put("update_skipped", it.applied() ? 0.0 : 1.0);
    }
    // the forward's share includes the Spark jobs' scheduling: what the other phases leave
    phases.put("forward_s",
        seconds - it.lossSeconds() - it.backwardSeconds() - it.updateSeconds());
    phases.put("loss_s", it.lossSeconds());
    phases.put("backward_s", it.backwardSeconds());
    phases.put("update_s", it.updateSeconds());
    phases.put("views_s", log.viewSeconds());
    log.emit(neval, loss, rate(epoch, neval), schedule.batchSize() / seconds, phases, it.stats());
    return loss;
  }

  /**
   * The forward job, the loss (or the driver's objective) on the driver, the backward and the
   * update (without the driver's side: {@link #settle}). A
   * non-finite loss stops the run before any gradient goes out.
   */
  private GlobalStep.Iterated throughDriver(GlobalStep step, ContrastiveLoss lossFn,
      MetricsLog log, int epoch, int k, int neval, long drawSeed) {
    List<SliceLoss.Slice> slices = step.forward(epoch, k);
    long t1 = System.nanoTime();
    SliceLoss.Result r = objective != null ? objective.step(slices, rate(epoch, neval))
        : SliceLoss.evaluate(LossScope.GLOBAL, lossFn, slices, views, dim, drawSeed);
    float loss = (float) r.loss();
    if (!Float.isFinite(loss)) {
      log.emit(neval, loss, rate(epoch, neval), 0, Map.of()); // stops the run
    }
    long t2 = System.nanoTime();
    GlobalStep.Ended end = backwardAndUpdate(step, scaler, epoch, k, neval, loss,
        r.gradients());
    double backward = (System.nanoTime() - t2) / 1e9 - end.updateSeconds();
    return new GlobalStep.Iterated(r.loss(), r.stats(), end.applied(), (t2 - t1) / 1e9,
        backward, end.updateSeconds());
  }

  /**
   * The driver's side of an iteration's end, the slices' decision followed: when every slice's
   * gradient was finite the slices took the update and the objective's heads (BCL, PaCo) take
   * their held step; when not (fp16 loss scaling) the slices kept weights, optimiser state and
   * key encoder, the heads and PaCo's queue stay bit-identical, as {@code GradScaler} skips
   * the whole optimiser step, and the scale backs off. The iteration counts either way.
   *
   * @param scaler fp16's loss scaler, or null
   * @param objective the driver's objective, or null for a contrastive criterion
   */
  static void settle(LossScaler scaler, DriverObjective objective, boolean applied) {
    if (scaler != null) {
      scaler.update(applied); // applies exactly the finite steps, as the slices did
    }
    if (objective != null) {
      objective.finishStep(applied);
    }
  }

  /**
   * Jobs 2 and 3 with {@code gradients} (every slice's loss gradient rows, unscaled) scaled by
   * {@code scaler}'s scale (null: unscaled).
   */
  static GlobalStep.Ended backwardAndUpdate(GlobalStep step, LossScaler scaler,
      int epoch, int k, int neval, float loss, List<float[]> gradients) {
    return scaler == null
        ? step.backwardAndUpdate(epoch, k, neval, loss, gradients, 1.0)
        : step.backwardAndUpdate(epoch, k, neval, loss,
            gradients.stream().map(scaler::scaled).toList(), scaler.scale());
  }


  /** The learning rate of iteration {@code neval} (1-based), as the slices' optimisers see it. */
  private double rate(int epoch, int neval) {
    optim.state().update("epoch", epoch);
    optim.state().update("neval", neval);
    optim.updateHyperParameter();
    return Math.abs(optim.getLearningRate());
  }

  private static ContrastiveLoss contrastive(AbstractCriterion<Activity, Activity, Object> c) {
    if ((Object) c instanceof ContrastiveCriterion cc) {
      return cc.loss();
    }
    throw new IllegalArgumentException("train.loss-scope = global needs a contrastive loss; "
        + "the cross-entropy baseline (train-ce) trains with train.loss-scope = local");
  }
}
