package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.SGD;
import com.intel.analytics.bigdl.utils.Table;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.data.Columns;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.loss.LossMethod;
import org.ttcspark.loss.PrototypeSource;
import org.ttcspark.loss.Prototypes;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.AugmentViews;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.LrSchedule;
import org.ttcspark.train.TrainConfig;
import org.ttcspark.train.TrainSample;

/**
 * {@code ttc pretrain}: checks the inputs, builds (or resumes) the encoder, the loss and SGD with
 * the warm-up + cosine schedule, and trains with {@link DistriTrainer}. Everything that can be
 * wrong with the inputs is reported before the first iteration.
 */
public final class Pretrain {
  private Pretrain() {}

  /**
   * Runs a pretraining.
   *
   * @param config the resolved configuration
   * @param run the run folder (already holding the resolved config and provenance)
   * @param resume continue from the run's newest checkpoint
   * @return the last checkpoint
   */
  public static Checkpoint run(SparkSession spark, Config config, RunFolder run, boolean resume,
      PrintStream console) throws IOException {
    TrainConfig train = TrainConfig.from(config);
    ModelConfig modelCfg = ModelConfig.from(config);
    LossConfig lossCfg = LossConfig.from(config);
    long seed = RunConfig.from(config).seed();
    PreparedInput input = PreparedInput.load(spark,
        config.getString("dataset.prepared"), train,
        run.hadoop());
    train.checkAgainstCluster(DistriTrainer.partitions(), DistriTrainer.replicasPerPartition());
    checkMethodInputs(lossCfg);

    AugmentConfig augment = AugmentConfig.from(config);
    int size = augment.sizeFor(input.images().imageSize());
    if (size < 1) {
      throw new IllegalArgumentException("the images of " + input.images().path() + " differ in "
          + "size: set augment.size to the side of the training views");
    }
    String signature = modelCfg.signature(input.images().channels(), size);
    int perEpoch = (int) ((input.trainCount() + train.batchSize() - 1) / train.batchSize());
    int total = train.epochs() * perEpoch;
    LrSchedule schedule = LrSchedule.ofEpochs(train.learningRate(), train.warmUpEpochs(),
        train.epochs(), perEpoch);

    AbstractModule<Activity, Activity, Object> model;
    int firstEpoch = 1;
    long doneIterations = 0;
    Path latest = resume ? Checkpoint.latest(run.path(), run.hadoop()) : null;
    if (resume && latest == null) {
      throw new IllegalArgumentException("--resume: run folder " + run.path()
          + " has no checkpoint yet; start without --resume");
    }
    if (latest != null) {
      Checkpoint c = Checkpoint.read(latest, run.hadoop());
      if (!c.signature().equals(signature)) {
        throw new IllegalArgumentException("checkpoint " + latest + " is of model " + c.signature()
            + " but the configuration builds " + signature + "; resume with the same model, "
            + "image size and channels, or start a new run");
      }
      model = ModuleFiles.load(new Path(latest, Checkpoint.MODEL), run.hadoop());
      firstEpoch = c.epoch() + 1;
      doneIterations = c.iteration();
      console.printf("resuming %s after epoch %d (iteration %d, lr %.6f)%n", run.path(), c.epoch(),
          c.iteration(), c.learningRate());
    } else {
      model = org.ttcspark.model.bigdl.Layers.any(Encoders.contrastive(modelCfg, input.images().channels(), size, seed));
    }
    SGD<Object> sgd = sgd(train, schedule, firstEpoch, doneIterations);
    AbstractCriterion<Activity, Activity, Object> criterion = criterion(lossCfg,
        modelCfg.projectionDim(), seed);
    DistriTrainer trainer = new DistriTrainer(model, castOptim(sgd), train.batchSize(), seed,
        signature, lossCfg.method().name().toLowerCase());
    if (firstEpoch > train.epochs()) {
      console.println("nothing to do: all " + train.epochs() + " epochs are done");
      return Checkpoint.read(latest, run.hadoop());
    }
    AugmentViews views = new AugmentViews(Augmentations.train(augment.withSize(size)), size,
        input.images().mean(), input.images().std());
    return trainer.train(input.train(), views, LossSeam.local(criterion), firstEpoch,
        train.epochs(), total, run, console);
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

  @SuppressWarnings("unchecked")
  private static com.intel.analytics.bigdl.optim.OptimMethod<Object> castOptim(SGD<Object> sgd) {
    return sgd;
  }

  /** The contrastive criterion of the configured method. */
  @SuppressWarnings("unchecked")
  static AbstractCriterion<Activity, Activity, Object> criterion(LossConfig cfg, int dim,
      long seed) {
    Prototypes prototypes = cfg.method() == LossMethod.SUPPROTO || cfg.method() == LossMethod.TSC
        ? Prototypes.random(dim, seed) : null;
    return (AbstractCriterion<Activity, Activity, Object>) (Object)
        new ContrastiveCriterion(cfg.create(prototypes, null), seed);
  }

  /** Methods whose extra inputs this version cannot provide yet fail before training. */
  static void checkMethodInputs(LossConfig cfg) {
    if (cfg.method() == LossMethod.SBCL) {
      throw new IllegalArgumentException("loss.method = sbcl needs cluster ids from k-means "
          + "re-clustering of the embeddings, which pretrain does not do in this version; use "
          + "another method (supcon, supmin, supproto, simclr, kcl, tsc)");
    }
    if (cfg.prototypes() == PrototypeSource.DATA
        && (cfg.method() == LossMethod.SUPPROTO || cfg.method() == LossMethod.TSC)) {
      throw new IllegalArgumentException("loss.prototypes = data needs train projections, which "
          + "pretrain does not compute yet; use loss.prototypes = random");
    }
  }

  /** The prepared dataset's train split, decoded and cached, with its counts checked. */
  record PreparedInput(org.ttcspark.train.PreparedImages images, JavaRDD<TrainSample> train,
      long trainCount) {
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
          .persist(StorageLevel.MEMORY_ONLY());
      return new PreparedInput(images, rdd, n);
    }
  }
}
