package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.optim.Adam;
import com.intel.analytics.bigdl.optim.OptimMethod;
import com.intel.analytics.bigdl.optim.SGD;
import com.intel.analytics.bigdl.utils.Table;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.data.Columns;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.loss.LossMethod;
import org.ttcspark.loss.WeightedCrossEntropy;
import org.ttcspark.loss.bigdl.ClassificationCriterion;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.CollapseConfig;
import org.ttcspark.train.CollapseDetector;
import org.ttcspark.train.BclObjective;
import org.ttcspark.train.DriverObjective;
import org.ttcspark.train.PacoObjective;
import org.ttcspark.train.AugmentViews;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.LrSchedule;
import org.ttcspark.train.OnlineEvalConfig;
import org.ttcspark.train.TrainConfig;
import org.ttcspark.train.TrainSample;

/**
 * {@code ttc pretrain} and {@code ttc train-ce}: checks the inputs, builds (or resumes) the
 * model, the loss and the optimiser (SGD with the warm-up + cosine schedule, or Adam for
 * cross-entropy), and trains with {@link DistriTrainer}. Everything that can be wrong with the
 * inputs is reported before the first iteration.
 */
public final class Pretrain {
  private Pretrain() {}

  /**
   * Runs a pretraining.
   *
   * @param config the resolved configuration
   * @param run the run folder; its record is written ({@link RunFolder#open}) once the inputs
   *     are checked, before the first file of the training
   * @param resume continue from the run's newest checkpoint
   * @return the last checkpoint
   */
  public static Checkpoint run(SparkSession spark, Config config, RunFolder run, boolean resume,
      PrintStream console) throws IOException {
    return train(spark, config, run, resume, console, false);
  }

  /**
   * Runs the weighted cross-entropy baseline ({@code ttc train-ce}): backbone + linear layer,
   * one view per sample, Adam at {@code train.ce.learning-rate}, class weights proportional to
   * 1 / count normalised to sum 1.
   */
  public static Checkpoint runCrossEntropy(SparkSession spark, Config config, RunFolder run,
      boolean resume, PrintStream console) throws IOException {
    return train(spark, config, run, resume, console, true);
  }

  private static Checkpoint train(SparkSession spark, Config config, RunFolder run,
      boolean resume, PrintStream console, boolean crossEntropy) throws IOException {
    TrainConfig train = TrainConfig.from(config);
    ModelConfig modelCfg = ModelConfig.from(config);
    LossConfig lossCfg = crossEntropy ? null : LossConfig.from(config);
    AugmentConfig augment = AugmentConfig.from(config);
    long seed = RunConfig.from(config).seed();
    OnlineEvalConfig onlineCfg = OnlineEvalConfig.from(config);
    CollapseDetector collapse = new CollapseDetector(CollapseConfig.from(config));
    PreparedInput input = PreparedInput.load(spark, config.getString("dataset.prepared"), train,
        run.hadoop());
    boolean global = train.lossScope() == LossScope.GLOBAL;
    org.ttcspark.platform.RuntimeConfig runtime = org.ttcspark.platform.RuntimeConfig.from(config);
    boolean torch = runtime.engineType() == org.ttcspark.platform.EngineType.TORCH;
    if (torch && !global) {
      throw new IllegalArgumentException("engine.type = torch trains in global scope only: add "
          + "train.loss-scope=global" + (crossEntropy ? " (train-ce trains with engine.type = "
          + "mkldnn or mklblas)" : ""));
    }
    if (global && crossEntropy) {
      throw new IllegalArgumentException("train.loss-scope = global is for the contrastive "
          + "methods; train-ce trains with train.loss-scope = local");
    }
    SliceSchedule slices = global ? SliceSchedule.of(train.batchSize(), train.globalSlices() > 0
        ? train.globalSlices() : torch ? DistriTrainer.partitions()
        : GlobalTrainer.defaultSlices(), seed) : null;
    if (!global) {
      train.checkAgainstCluster(DistriTrainer.partitions(), DistriTrainer.replicasPerPartition());
    }
    if (lossCfg != null) {
      checkSbclSchedule(lossCfg, train);
      checkClassifierMethod(lossCfg, train, resume);
    }
    int size = augment.sizeFor(input.images().imageSize());
    if (size < 1) {
      throw new IllegalArgumentException("the images of " + input.images().path() + " differ in "
          + "size: set augment.size to the side of the training views");
    }
    int channels = input.images().channels();
    String signature = (crossEntropy ? "ce-" : "") + modelCfg.signature(channels, size);
    int perEpoch = global ? GlobalTrainer.iterationsPerEpoch(input.trainCount(), slices)
        : (int) ((input.trainCount() + train.batchSize() - 1) / train.batchSize());

    ResumePoint from = resume ? ResumePoint.newest(run, console) : null;
    Checkpoint saved = from == null ? null : checkResumable(from, signature, run, console);
    if (resume && from == null) {
      throw new IllegalArgumentException("--resume: run folder " + run.path()
          + " has no checkpoint yet; start without --resume");
    }
    int firstEpoch = saved == null ? 1 : saved.epoch() + 1;
    long done = saved == null ? 0 : saved.iteration();
    if (firstEpoch > train.epochs()) {
      console.println("nothing to do: all " + train.epochs() + " epochs are done");
      return saved;
    }
    // every check passed: only now does the run folder get its record
    run.open();
    AbstractModule<Activity, Activity, Object> model = saved != null ? from.model()
        : Layers.any(crossEntropy ? Encoders.classifier(modelCfg, channels, size, 2, seed)
            : Encoders.contrastive(modelCfg, channels, size, seed));
    DriverObjective objective = lossCfg != null && lossCfg.method().trainsClassifier()
        ? objective(lossCfg, train, modelCfg, input.counts(), seed) : null;
    OptimMethod<Object> optim = crossEntropy ? adam(train, firstEpoch, done)
        : sgd(train, LrSchedule.ofEpochs(train.learningRate(), train.warmUpEpochs(),
            train.epochs(), perEpoch), firstEpoch, done);
    AugmentViews viewSource = new AugmentViews(Augmentations.train(augment.withSize(size)), size,
        input.images().mean(), input.images().std());
    AugmentViews evalViews = new AugmentViews(Augmentations.eval(augment.withSize(size)), size,
        input.images().mean(), input.images().std());
    LossSeam seam = crossEntropy ? LossSeam.fixed(weightedCrossEntropy(input.counts()))
        : new ContrastiveLossSeam(spark, lossCfg, seed, modelCfg.projectionDim(), input.counts(),
            evalViews, train.batchSize(), run, console);
    int views = crossEntropy ? 1 : objective != null ? objective.views() : 2;
    JavaRDD<TrainSample> val = train.validation() ? validationSplit(spark, input.images()) : null;
    OnlineEvaluation online = null;
    if (onlineCfg.enabled()) {
      long[] valCounts = input.images().counts(spark, Columns.VAL);
      if (valCounts[0] + valCounts[1] < 2) {
        console.printf("online evaluation skipped: the val split of %s has %d images, it needs "
            + "at least 2%n", input.images().path(), valCounts[0] + valCounts[1]);
      } else {
        if (val == null) {
          val = cachedSplit(spark, input.images(), Columns.VAL);
        }
        online = new OnlineEvaluation(val, input.images().subtypes(spark, Columns.VAL),
            evalViews, onlineCfg, train.epochs());
      }
    }
    JavaRDD<TrainSample> validated = train.validation() ? val : null;
    try {
      EpochStepper stepper;
      if (global) {
        GlobalTrainer trainer = new GlobalTrainer(model, optim, slices, seed, views,
            modelCfg.projectionDim(), train.globalPrecision(), done);
        if (objective != null) {
          trainer.withObjective(objective,
              Layers.any(Encoders.withFeatures((Sequential<Object>) (Object) model)));
        }
        stepper = trainer.computingWith(runtime);
      } else {
        stepper = new DistriTrainer(model, optim, train.batchSize(), seed, views);
      }
      stepper.prefetchingViews(train.prefetchViews());
      return new EpochLoop(model, seed, signature,
          crossEntropy ? "ce" : lossCfg.method().name().toLowerCase(), views)
          .validateOn(validated, evalViews).monitor(collapse, online)
          .keeping(train.checkpoints())
          .train(stepper, input.train(), viewSource, seam, firstEpoch, train.epochs(),
              train.epochs() * perEpoch, run, console);
    } finally {
      if (val != null) {
        val.unpersist();
      }
    }
  }

  /** BCL's or PaCo's driver objective, seeded apart from the encoder's initialisation. */
  private static DriverObjective objective(LossConfig cfg, TrainConfig train, ModelConfig model,
      long[] counts, long seed) {
    long headSeed = org.ttcspark.platform.Seeds.derive(seed, 0x6865616473L);
    return cfg.method() == LossMethod.BCL
        ? new BclObjective(cfg.bcl(), cfg.temperature(), counts, model.projectionDim(),
            model.featureDim(), train.momentum(), train.weightDecay(), headSeed)
        : new PacoObjective(cfg.paco(), counts, model.projectionDim(), model.featureDim(),
            train.momentum(), train.weightDecay(), headSeed);
  }

  /**
   * BCL and PaCo train heads on the driver over the whole batch: global scope only; the
   * validation loss (a criterion over val batches) does not apply to them. Their driver state
   * (classifier, centre head, queue, key encoder) is saved with every checkpoint.
   */
  public static void checkClassifierMethod(LossConfig cfg, TrainConfig train, boolean resume) {
    if (!cfg.method().trainsClassifier()) {
      return;
    }
    String m = cfg.method().name().toLowerCase();
    if (train.lossScope() != LossScope.GLOBAL) {
      throw new IllegalArgumentException("loss.method = " + m + " trains a classifier on the "
          + "driver next to the encoder and needs the whole batch there: set "
          + "train.loss-scope = global (conf/experiment/" + m + ".conf does)");
    }
    if (train.validation()) {
      throw new IllegalArgumentException("train.validation = true is not available for "
          + "loss.method = " + m + " (its loss needs the driver's classifier); set "
          + "train.validation = false and watch the online evaluation instead");
    }
  }

  /** The val split for {@code train.validation}, cached, one partition per executor. */
  private static JavaRDD<TrainSample> validationSplit(SparkSession spark,
      org.ttcspark.train.PreparedImages images) {
    long[] counts = images.counts(spark, Columns.VAL);
    if (counts[0] + counts[1] < 2) {
      throw new IllegalArgumentException("train.validation = true but the val split of "
          + images.path() + " has " + (counts[0] + counts[1]) + " images; a validation loss "
          + "needs at least 2 (set train.validation = false, or prepare a val split)");
    }
    return cachedSplit(spark, images, Columns.VAL);
  }

  /** A split decoded and cached, one partition per executor. */
  private static JavaRDD<TrainSample> cachedSplit(SparkSession spark,
      org.ttcspark.train.PreparedImages images, String split) {
    return images.samples(spark, split).coalesce(DistriTrainer.partitions())
        .persist(org.ttcspark.train.PreparedImages.CACHED);
  }

  /** The checkpoint's state if it is of the configured model. */
  private static Checkpoint checkResumable(ResumePoint from, String signature, RunFolder run,
      PrintStream console) {
    Checkpoint c = from.state();
    if (!c.signature().equals(signature)) {
      throw new IllegalArgumentException("checkpoint " + from.folder() + " is of model "
          + c.signature() + " but the configuration builds " + signature + "; resume with the "
          + "same model, image size and channels, or start a new run");
    }
    console.printf("resuming %s after epoch %d (iteration %d, lr %.6f)%n", run.path(), c.epoch(),
        c.iteration(), c.learningRate());
    return c;
  }

  /** Adam at train.ce.learning-rate (constant), at the given position. */
  static OptimMethod<Object> adam(TrainConfig train, int epoch, long doneIterations) {
    Adam<Object> adam = new Adam<>(train.ceLearningRate(), 0.0, 0.9, 0.999, 1e-8, Bigdl.FLOAT,
        Bigdl.NUMERIC);
    adam.state().update("epoch", epoch);
    adam.state().update("neval", (int) doneIterations + 1);
    return adam;
  }

  @SuppressWarnings("unchecked")
  static AbstractCriterion<Activity, Activity, Object> weightedCrossEntropy(long[] counts) {
    return (AbstractCriterion<Activity, Activity, Object>) (Object)
        new ClassificationCriterion(WeightedCrossEntropy.fromCounts(counts));
  }

  /** SGD with momentum, weight decay, no dampening (as PyTorch), at the given position. */
  static SGD<Object> sgd(TrainConfig train, LrSchedule schedule, int epoch, long doneIterations) {
    SGD<Object> sgd = new SGD<>(train.learningRate(), 0.0, train.weightDecay(), train.momentum(),
        0.0, false, new ScheduleAdapter(schedule), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
    Table state = sgd.state();
    state.update("epoch", epoch);
    state.update("neval", (int) doneIterations + 1);
    return sgd;
  }

  /**
   * SBCL must cluster at least once: a warm-up as long as the run would make it plain SupCon.
   */
  public static void checkSbclSchedule(LossConfig cfg, TrainConfig train) {
    if (cfg.method() == LossMethod.SBCL && cfg.sbclWarmUpEpochs() >= train.epochs()) {
      throw new IllegalArgumentException("loss.sbcl.warm-up-epochs = " + cfg.sbclWarmUpEpochs()
          + " is not below train.epochs = " + train.epochs() + ": SBCL would never cluster and "
          + "the run would be plain SupCon; lower loss.sbcl.warm-up-epochs (at most "
          + (train.epochs() - 1) + ")");
    }
  }

  /** The prepared dataset's train split, decoded and cached, with its counts checked. */
  record PreparedInput(org.ttcspark.train.PreparedImages images, JavaRDD<TrainSample> train,
      long trainCount, long[] counts) {
    static PreparedInput load(SparkSession spark, String path, TrainConfig train,
        org.apache.hadoop.conf.Configuration hadoop) {
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("dataset.prepared is empty: set it to a prepared "
            + "dataset folder (ttc prepare writes one)");
      }
      org.ttcspark.train.PreparedImages images =
          org.ttcspark.train.PreparedImages.open(path, hadoop);
      long[] counts = images.counts(spark, Columns.TRAIN);
      long n = counts[0] + counts[1];
      if (n == 0) {
        throw new IllegalArgumentException("dataset " + path + " has no train rows");
      }
      if (counts[0] == 0 || counts[1] == 0) {
        throw new IllegalArgumentException("the train split of " + path + " holds one class only ("
            + counts[0] + " of class 0, " + counts[1] + " of class 1); prepare it with both");
      }
      if (train.batchSize() > n) {
        throw new IllegalArgumentException("train.batch-size = " + train.batchSize() + " is larger "
            + "than the train split of " + path + " (" + n + " images); use at most " + n);
      }
      JavaRDD<TrainSample> rdd = images.samples(spark, Columns.TRAIN)
          .persist(org.ttcspark.train.PreparedImages.CACHED);
      return new PreparedInput(images, rdd, n, counts);
    }
  }
}
