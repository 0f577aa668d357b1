package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.Dropout$;
import com.intel.analytics.bigdl.nn.Linear;
import com.intel.analytics.bigdl.nn.Linear$;
import com.intel.analytics.bigdl.nn.Zeros$;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.L2Regularizer;
import com.intel.analytics.bigdl.utils.RandomGenerator$;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.data.Columns;
import org.ttcspark.metrics.ClassificationMetrics;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.AugmentViews;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.FinetuneConfig;
import org.ttcspark.loss.ClassBalance;
import org.ttcspark.loss.LdamLoss;
import org.ttcspark.loss.WeightedCrossEntropy;
import org.ttcspark.loss.bigdl.ClassificationCriterion;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.LrSchedule;
import org.ttcspark.train.PreparedImages;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * {@code ttc finetune}: the evaluation protocol of the paper's authors (their
 * {@code experiment=finetune}). A linear (or MLP) head on the backbone of a pretrained run's
 * newest checkpoint, trained with cross-entropy on one augmented view per sample, Adam with a
 * cosine schedule; the backbone frozen (only the head trains, on the backbone's features of
 * each view computed in evaluation mode by {@link FeatureViews}: parameters and batch-norm
 * statistics stay as pretrained, as with PyTorch's {@code eval()} and {@code requires_grad}
 * off) or trained along. With a frozen backbone the checkpoints hold the head alone. The run
 * lives in {@code <pretrain run>/<finetune.folder>/} with its own checkpoints,
 * {@code metrics.jsonl} (iteration lines and one {@code finetune_val} line per epoch) and
 * {@code results.json}; {@code --resume} continues from its newest checkpoint.
 */
public final class Finetune {
  /** The results file inside the finetune folder ({@code finetune.folder}). */
  public static final String RESULTS = "results.json";
  private static final String METHOD = "finetune";

  private Finetune() {}

  /**
   * What a finetune measured.
   *
   * @param folder the finetune run folder
   * @param last the last checkpoint
   * @param val the val split's metrics after the last epoch (null without a val split)
   * @param test the test split's metrics
   */
  public record Result(Path folder, Checkpoint last, ClassificationMetrics val,
      ClassificationMetrics test) {}

  /**
   * Fine-tunes on the newest checkpoint of {@code pretrainRun}.
   *
   * @param config the resolved configuration (dataset, augment, finetune, run sections)
   * @param resume continue the finetune run from its newest checkpoint
   */
  public static Result run(SparkSession spark, Config config, Path pretrainRun, boolean resume,
      PrintStream console) throws IOException {
    FinetuneConfig ft = FinetuneConfig.from(config);
    AugmentConfig augment = AugmentConfig.from(config);
    long seed = RunConfig.from(config).seed();
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path source = Checkpoint.latest(pretrainRun, hadoop);
    if (source == null) {
      throw new IllegalArgumentException("run " + pretrainRun + " has no checkpoint; finetune "
          + "needs a run of ttc pretrain or ttc train-ce (set run.name to it)");
    }
    ft.checkAgainstCluster(DistriTrainer.partitions(), DistriTrainer.replicasPerPartition());
    String prepared = config.getString("dataset.prepared");
    PreparedImages images = PreparedImages.open(prepared, hadoop);
    long[] counts = images.counts(spark, Columns.TRAIN);
    if (counts[0] == 0 || counts[1] == 0) {
      throw new IllegalArgumentException("the train split of " + prepared + " holds one class "
          + "only (" + counts[0] + " and " + counts[1] + "); fine-tuning needs both");
    }
    int size = augment.sizeFor(images.imageSize());
    if (size < 1) {
      throw new IllegalArgumentException("the images of " + prepared + " differ in size: set "
          + "augment.size to the side of the training views");
    }
    Checkpoint pretrained = Checkpoint.read(source, hadoop);
    String signature = METHOD + "-" + ConfigLabel.of(ft) + "-" + pretrained.signature();
    Path folder = new Path(pretrainRun, ft.folder());
    Path latest = Checkpoint.latest(folder, hadoop);
    if (!resume && latest != null) {
      throw new IllegalArgumentException(folder + " already holds a finetune (checkpoint "
          + latest.getName() + "); continue it with --resume, or set finetune.folder to "
          + "another name");
    }
    if (resume && latest == null) {
      throw new IllegalArgumentException("--resume: " + folder + " has no checkpoint yet; "
          + "start without --resume");
    }
    Checkpoint saved = latest == null ? null : Checkpoint.read(latest, hadoop);
    if (saved != null && !saved.signature().equals(signature)) {
      throw new IllegalArgumentException("checkpoint " + latest + " is of " + saved.signature()
          + " but the configuration builds " + signature + "; resume with the same finetune "
          + "settings, or start without --resume");
    }
    RunFolder run = RunFolder.create(METHOD, ConfigFactory.empty()
        .withValue("run.dir", ConfigValueFactory.fromAnyRef(pretrainRun.toString(), "finetune"))
        .withValue("run.name", ConfigValueFactory.fromAnyRef(ft.folder(), "finetune"))
        .withFallback(config), hadoop);
    int minority = counts[0] <= counts[1] ? 0 : 1;
    JavaRDD<TrainSample> split = images.samples(spark, Columns.TRAIN);
    JavaRDD<TrainSample> train = balanced(split, ft, counts, minority)
        .persist(PreparedImages.CACHED);
    JavaRDD<TrainSample> val = images.samples(spark, Columns.VAL).persist(PreparedImages.CACHED);
    try {
      long n = train.count();
      int perEpoch = (int) ((n + ft.batchSize() - 1) / ft.batchSize());
      int first = saved == null ? 1 : saved.epoch() + 1;
      long done = saved == null ? 0 : saved.iteration();
      AbstractModule<Activity, Activity, Object> backbone =
          backbone(ModuleFiles.load(new Path(source, Checkpoint.MODEL), hadoop));
      int features = featureDim(backbone, images.channels(), size);
      AbstractModule<Activity, Activity, Object> model = saved == null
          ? build(ft.trainable() ? backbone : null, features, ft, seed)
          : ModuleFiles.load(new Path(latest, Checkpoint.MODEL), hadoop);
      ScheduledAdam adam = new ScheduledAdam(LrSchedule.ofEpochs(ft.learningRate(), 0,
          ft.epochs(), perEpoch), first, done);
      ViewSource views = new AugmentViews(Augmentations.train(augment.withSize(size)), size,
          images.mean(), images.std());
      ViewSource eval = new AugmentViews(Augmentations.eval(augment.withSize(size)), size,
          images.mean(), images.std());
      if (!ft.trainable()) {
        // the head alone trains, on the frozen backbone's features of each view
        FeatureViews trainFeatures = new FeatureViews(views, backbone, features);
        FeatureViews evalFeatures = new FeatureViews(eval, backbone, features);
        if (ft.standardizeFeatures()) {
          // the split as it is, each image once (the cached train set itself unless the
          // minority is upsampled): the copies must not weight the statistics
          float[][] scaling = standardization(run, evalFeatures, split, console);
          trainFeatures = trainFeatures.standardized(scaling[0], scaling[1]);
          evalFeatures = evalFeatures.standardized(scaling[0], scaling[1]);
        }
        views = trainFeatures;
        eval = evalFeatures;
      }
      LossSeam loss = (epoch, m, samples) -> new LossSeam.Epoch(samples,
          criterion(ft, counts, epoch), null);
      console.printf("finetune: %s on %s (%s head, backbone %s, balance %s), epochs %d..%d%n",
          run.path(), source, ConfigLabel.word(ft.head()), ft.trainable() ? "trainable"
              : "frozen", ConfigLabel.word(ft.balance()), first, ft.epochs());
      Checkpoint last = saved;
      ClassificationMetrics valMetrics = null;
      for (int epoch = first; epoch <= ft.epochs(); epoch++) {
        // one trainer per epoch: each resumes the optimiser state of the previous checkpoint
        last = new EpochLoop(model, seed, signature, METHOD, 1)
            .train(new DistriTrainer(model, adam, ft.batchSize(), seed, 1), train, views, loss,
                epoch, epoch, ft.epochs() * perEpoch, run, console);
        valMetrics = val.isEmpty() ? null
            : Predictions.measure(val, model, eval, EvalForward.Plan.current(), minority);
        logValidation(run, epoch, last.iteration(), valMetrics, console);
      }
      ClassificationMetrics test = Predictions.measure(images.samples(spark, Columns.TEST),
          model, eval, EvalForward.Plan.current(), minority);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("source_checkpoint", source.toString());
      out.put("pretrain_method", pretrained.method());
      out.put("head", ConfigLabel.word(ft.head()));
      out.put("trainable", ft.trainable());
      out.put("balance", ConfigLabel.word(ft.balance()));
      out.put("epochs", last == null ? 0 : last.epoch());
      out.put("val", valMetrics == null ? null : valMetrics.toJson());
      out.put("test", test.toJson());
      boolean diverged = last != null && diverged(last.loss());
      out.put("head_diverged", diverged);
      if (diverged) {
        console.printf("WARNING: finetune: the training loss ended at %.4g, above %.0f: the "
            + "classifier diverged, most likely on very large frozen features (a loss that "
            + "only sees L2-normalised features leaves the backbone's scale free), so these "
            + "scores say nothing about the encoder; the probe standardises its features "
            + "(ttc probe)%n", last.loss(), DIVERGED_LOSS);
      }
      HadoopFiles.writeString(run.file(RESULTS), hadoop, Json.write(out));
      console.printf("finetune: test accuracy %.4f, balanced accuracy %.4f, AUROC %.4f, "
          + "minority F1 %.4f -> %s%n", test.accuracy(), test.balancedAccuracy(), test.auroc(),
          test.minorityF1(), run.file(RESULTS));
      return new Result(run.path(), last, valMetrics, test);
    } finally {
      train.unpersist();
      val.unpersist();
    }
  }

  /**
   * The frozen features' standardisation: read back from the finetune folder when it has one
   * (a resumed finetune keeps what its head was trained on), else computed over the train
   * split's evaluation view and saved there: the split as prepared, every image once, not as
   * {@code finetune.balance = upsample} repeats the minority (statistics of the data, as the
   * probe's, whatever the balancing of the head's training).
   */
  private static float[][] standardization(RunFolder run, FeatureViews evalFeatures,
      JavaRDD<TrainSample> train, PrintStream console) throws IOException {
    Path file = run.file(STANDARDIZATION);
    if (file.getFileSystem(run.hadoop()).exists(file)) {
      JsonNode saved = Json.MAPPER.readTree(HadoopFiles.readString(file, run.hadoop()));
      return new float[][] {floats(saved.get("mean")), floats(saved.get("inverse_std"))};
    }
    float[][] scaling = evalFeatures.standardization(train);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mean", scaling[0]);
    out.put("inverse_std", scaling[1]);
    HadoopFiles.writeString(file, run.hadoop(), Json.write(out));
    double largest = 0;
    for (float m : scaling[0]) {
      largest = Math.max(largest, Math.abs(m));
    }
    console.printf("finetune: frozen features standardised (largest mean %.3g) -> %s%n",
        largest, file);
    return scaling;
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  /**
   * The last training loss above which the head has diverged: a two-class cross-entropy of
   * 20 nats means the classifier is sure and wrong on most of the batch, which no head that
   * learns reaches.
   */
  public static final double DIVERGED_LOSS = 20;
  /** The frozen features' standardisation in the finetune folder. */
  public static final String STANDARDIZATION = "feature-standardization.json";

  /** Whether a final training loss says the head diverged (or is not a number). */
  public static boolean diverged(double finalLoss) {
    return !(finalLoss <= DIVERGED_LOSS);
  }

  /** The backbone of a model written by pretrain or train-ce (shares its weights). */
  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> backbone(
      AbstractModule<Activity, Activity, Object> pretrained) {
    if (!(pretrained instanceof Sequential)) {
      throw new IllegalArgumentException("the checkpoint holds a "
          + pretrained.getClass().getName() + ", not a model of ttc pretrain or ttc train-ce");
    }
    return Encoders.backbone((Sequential<Object>) (Object) pretrained);
  }

  /**
   * The model that trains: the backbone (null when frozen: the input is then its feature map
   * {@code [batch, features, 1, 1]}), optional dropout, then the head (seeded initialisation).
   */
  static AbstractModule<Activity, Activity, Object> build(
      AbstractModule<Activity, Activity, Object> backbone, int features, FinetuneConfig ft,
      long seed) {
    RandomGenerator$.MODULE$.RNG().setSeed(seed + 7);
    Sequential<Object> model = Layers.sequential("finetune");
    if (backbone != null) {
      Layers.add(model, backbone);
    } else {
      Layers.add(model, Layers.flatten("finetune.flatten", features));
    }
    if (ft.dropout() > 0) {
      Layers.add(model, Layers.any(Dropout$.MODULE$.apply(ft.dropout(), false, true,
          Bigdl.FLOAT, Bigdl.NUMERIC).setName("finetune.dropout")));
    }
    if (ft.head() == FinetuneConfig.Head.MLP) {
      Layers.add(model, linear("finetune.fc1", features, features, ft.weightDecay()));
      Layers.add(model, Layers.relu("finetune.relu"));
    }
    if (ft.balance() == FinetuneConfig.Balance.LDAM_DRW) {
      // LDAM's margins are meant for cosine logits: unit features into the last layer (BigDL's
      // Cosine layer, which would normalise the class weights too, has no MKL-DNN form)
      Layers.add(model, Layers.l2Normalize("finetune.l2"));
    }
    Layers.add(model, head(linear("finetune.fc", features, 2, ft.weightDecay())));
    return Layers.any(model);
  }

  /**
   * The criterion of {@code epoch}: weighted cross-entropy with weights 1 / count
   * ({@code weighted}), class-balanced weights ({@code cb}), none ({@code none},
   * {@code upsample}), or LDAM with the class-balanced weights from {@code ldam.drw-epoch} on
   * and equal ones before ({@code ldam-drw}).
   */
  @SuppressWarnings("unchecked")
  static AbstractCriterion<Activity, Activity, Object> criterion(FinetuneConfig ft,
      long[] counts, int epoch) {
    switch (ft.balance()) {
      case WEIGHTED:
        return Pretrain.weightedCrossEntropy(counts);
      case CB:
        return (AbstractCriterion<Activity, Activity, Object>) (Object)
            new ClassificationCriterion(new WeightedCrossEntropy(
                ClassBalance.weights(counts, ft.cbBeta())));
      case LDAM_DRW:
        double[] w = epoch >= ft.drwEpoch() ? ClassBalance.weights(counts, ft.cbBeta())
            : ClassBalance.uniform(counts.length);
        return (AbstractCriterion<Activity, Activity, Object>) (Object) new ClassificationCriterion(
            new LdamLoss(counts, ft.ldamMaxMargin(), ft.ldamScale(), w));
      default:
        return Pretrain.weightedCrossEntropy(new long[] {1, 1});
    }
  }

  /** The pooled feature width, from one forward of a blank image through a copy. */
  @SuppressWarnings("unchecked")
  private static int featureDim(AbstractModule<Activity, Activity, Object> backbone,
      int channels, int size) {
    AbstractModule<Activity, Activity, Object> copy = backbone.cloneModule();
    copy.evaluate();
    com.intel.analytics.bigdl.tensor.Tensor<Object> out =
        (com.intel.analytics.bigdl.tensor.Tensor<Object>) copy.forward(
            Bigdl.zeros(1, channels, size, size));
    return (int) (out.nElement());
  }

  /**
   * The classifier starts at zero, so that its first logits are 0 whatever the scale of the
   * features and the first Adam steps move it along the classes' difference. With BigDL's
   * default uniform(+-1/sqrt(in)) a frozen SupCon encoder of Fashion-MNIST gave an initial loss
   * of 10.6, and in a short run Adam at 3e-4 could not move the head past its random start,
   * which then decided the ranking (val AUROC 0.016 on features a probe separates at 1.000).
   */
  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> head(
      AbstractModule<Activity, Activity, Object> linear) {
    ((Linear<Object>) (Object) linear).setInitMethod(Zeros$.MODULE$,
        Zeros$.MODULE$);
    return linear;
  }

  private static AbstractModule<Activity, Activity, Object> linear(String name, int in, int out,
      double weightDecay) {
    return Layers.any(Linear$.MODULE$.apply(in, out, true, weightDecay > 0
        ? new L2Regularizer<>(weightDecay, Bigdl.FLOAT, Bigdl.NUMERIC) : null, null, null, null,
        null, null, Bigdl.FLOAT, Bigdl.NUMERIC).setName(name));
  }

  /** The train split as balanced by {@code finetune.balance = upsample}, else as it is. */
  static JavaRDD<TrainSample> balanced(JavaRDD<TrainSample> train, FinetuneConfig ft,
      long[] counts, int minority) {
    if (ft.balance() != FinetuneConfig.Balance.UPSAMPLE) {
      return train;
    }
    int copies = (int) Math.max(1, Math.round((double) counts[1 - minority] / counts[minority]));
    return train.flatMap(s -> {
      List<TrainSample> out = new ArrayList<>();
      for (int k = 0; k < (s.label() == minority ? copies : 1); k++) {
        // each copy its own id: its own augmentation draws
        out.add(k == 0 ? s : new TrainSample(s.id() + "~f" + k, s.label(), s.cluster(),
            s.channels(), s.height(), s.width(), s.pixels()));
      }
      return out.iterator();
    });
  }

  private static void logValidation(RunFolder run, int epoch, long iteration,
      ClassificationMetrics v, PrintStream console) throws IOException {
    if (v == null) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("event", "finetune_val");
    line.put("epoch", epoch);
    line.put("iteration", iteration);
    line.put("accuracy", v.accuracy());
    line.put("balanced_accuracy", v.balancedAccuracy());
    line.put("auroc", Double.isNaN(v.auroc()) ? null : v.auroc());
    try (OutputStream out = RunFiles.metrics(run)) {
      out.write((Json.MAPPER.writer().without(
          com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    console.printf("finetune epoch %d: val accuracy %.4f, balanced accuracy %.4f, AUROC %.4f%n",
        epoch, v.accuracy(), v.balancedAccuracy(), v.auroc());
  }

  /** Configuration words of the finetune enums. */
  private static final class ConfigLabel {
    static String word(Enum<?> e) {
      return org.ttcspark.config.ConfigReader.kebab(e);
    }

    static String of(FinetuneConfig ft) {
      return word(ft.head()) + (ft.trainable() ? "-trainable" : "-frozen")
          + (ft.dropout() > 0 ? "-dropout" : "")
          + (ft.balance() == FinetuneConfig.Balance.LDAM_DRW ? "-unit-features" : "");
    }
  }
}
