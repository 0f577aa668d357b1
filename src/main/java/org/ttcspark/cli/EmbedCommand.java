package org.ttcspark.cli;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.augment.ViewTransform;
import org.ttcspark.data.PreparedDataset;
import org.ttcspark.embed.EmbedConfig;
import org.ttcspark.embed.spark.EmbedJob;
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.train.Checkpoint;

/** {@code ttc embed}: a trained encoder and a prepared dataset to Parquet embeddings. */
final class EmbedCommand implements Command {
  @Override
  public String name() {
    return "embed";
  }

  @Override
  public String summary() {
    return "write backbone features and projections of a dataset to Parquet";
  }

  @Override
  public List<String> configSections() {
    return List.of("embed", "augment", "run", "engine");
  }

  @Override
  public void validate(Invocation inv) {
    Checks checks = new Checks(inv.config());
    EmbedConfig cfg = checks.read(EmbedConfig::from);
    checks.read(AugmentConfig::from);
    RunConfig run = checks.read(RunConfig::from);
    checks.read(org.ttcspark.platform.RuntimeConfig::from);
    checks.done();
    requireRun(cfg, run);
  }

  private static void requireRun(EmbedConfig cfg, RunConfig run) {
    if (cfg.checkpoint().isEmpty() && run.name().isBlank()) {
      throw new UsageException("ttc embed needs the trained run: set run.name=<run> (under "
          + "run.dir) or embed.checkpoint=<model.bigdl or checkpoint folder>");
    }
  }

  @Override
  public int run(Invocation inv) throws Exception {
    EmbedConfig cfg = EmbedConfig.from(inv.config());
    AugmentConfig augment = AugmentConfig.from(inv.config());
    RunConfig run = inv.run();
    String prepared = inv.config().getString("dataset.prepared");
    requireRun(cfg, run);
    Path runFolder = new Path(run.dir(), run.name().isBlank() ? "embed" : run.name());
    SparkSession spark = inv.spark().session();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path model = modelFile(cfg, runFolder, hadoop);
    PreparedDataset dataset = PreparedDataset.open(prepared, spark);
    int size = augment.sizeFor(dataset.manifest().height());
    if (size <= 0) {
      throw new IllegalArgumentException("the images of " + prepared + " differ in size: set "
          + "augment.size to the side the encoder was trained with");
    }
    AugmentConfig sized = augment.withSize(size);
    ViewTransform transform = cfg.views() == 1 ? Augmentations.eval(sized)
        : Augmentations.train(sized);
    String output = cfg.output().isEmpty() ? new Path(runFolder, "embeddings").toString()
        : cfg.output();
    checkChannels(model, dataset.manifest().channels(), prepared, hadoop);
    AbstractModule<Activity, Activity, Object> encoder = ModuleFiles.load(model, hadoop);
    inv.out().printf("embed: %s with %s, %d view(s) of %s%n", prepared, model, cfg.views(),
        cfg.splits());
    EvalForward.Plan plan = EvalForward.Plan.of(
        org.ttcspark.platform.RuntimeConfig.from(inv.config()).inferenceBatch());
    long rows = EmbedJob.run(spark, encoder, dataset, cfg, transform, run.seed(), output, plan);
    inv.out().printf("embed: wrote %d rows to %s (%d images per forward, %s; driver JVM: %s)%n",
        rows, output, plan.batch(), plan.engine().property(),
        org.ttcspark.platform.MemoryPeaks.describe());
    if (!run.name().isBlank()) {
      RunTarget.record(inv, stage(cfg), runFolder, hadoop);
    }
    return Main.OK;
  }

  /**
   * Refuses, before any Spark job, a dataset whose channels differ from those the checkpoint
   * was trained on: otherwise every task fails inside BigDL and Spark reports "Job aborted.".
   */
  private static void checkChannels(Path model, int channels, String prepared,
      Configuration hadoop) throws java.io.IOException {
    Path folder = model.getParent();
    if (folder == null || !folder.getFileSystem(hadoop).exists(new Path(folder,
        Checkpoint.STATE))) {
      return; // a bare model file: nothing says its channels
    }
    java.util.OptionalInt trained = org.ttcspark.model.ModelConfig.channelsOf(
        Checkpoint.read(folder, hadoop).signature());
    if (trained.isPresent() && trained.getAsInt() != channels) {
      throw new IllegalArgumentException("checkpoint " + folder + " was trained on "
          + trained.getAsInt() + "-channel images but " + prepared + " holds " + channels
          + "-channel images; embed the dataset the encoder was trained on (dataset.prepared)");
    }
  }

  /**
   * The name of this embedding's stage record: {@code embed} for the default output, else
   * {@code embed-<output folder name>}, so that the sweep's two embeddings of a run (the
   * evaluation view, two augmented views) each keep their record.
   */
  static String stage(EmbedConfig cfg) {
    return cfg.output().isEmpty() ? "embed" : "embed-" + new Path(cfg.output()).getName();
  }

  private static Path modelFile(EmbedConfig cfg, Path runFolder, Configuration hadoop)
      throws java.io.IOException {
    if (!cfg.checkpoint().isEmpty()) {
      Path p = new Path(cfg.checkpoint());
      return p.getFileSystem(hadoop).isDirectory(p) ? new Path(p, Checkpoint.MODEL) : p;
    }
    Path latest = Checkpoint.latest(runFolder, hadoop);
    if (latest == null) {
      throw new IllegalArgumentException("run folder " + runFolder + " has no checkpoint; train "
          + "it first (ttc pretrain / ttc train-ce) or set embed.checkpoint");
    }
    return new Path(latest, Checkpoint.MODEL);
  }
}
