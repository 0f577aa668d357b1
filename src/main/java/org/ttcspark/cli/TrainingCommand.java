package org.ttcspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.data.Manifest;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.RunFolderState;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.LossScope;
import org.ttcspark.train.PreparedImages;
import org.ttcspark.train.ResumeCompatibility;
import org.ttcspark.train.TrainConfig;
import org.ttcspark.train.bigdl.Pretrain;

/**
 * What {@code pretrain} and {@code train-ce} share: every check that needs no Spark (the
 * records, the prepared dataset's manifest, the run folder's state, {@code --resume}'s
 * compatibility with the run's record) in {@link #plan}, before Spark starts and before
 * anything is written; then the run folder, the training and the closing summary line.
 */
abstract class TrainingCommand implements Command {
  /** Trains into {@code run} and returns the last checkpoint. */
  abstract Checkpoint train(SparkSession spark, Config config, RunFolder run, boolean resume,
      PrintStream console) throws Exception;

  /** True for train-ce: no contrastive loss section, Adam. */
  abstract boolean crossEntropy();

  @Override
  public List<Flag> flags() {
    return List.of(Flag.toggle("resume", "continue the run named run.name from its newest "
        + "checkpoint (same epoch, iteration and learning rate)"));
  }

  @Override
  public void validate(Invocation invocation) {
    plan(invocation);
  }

  @Override
  public int run(Invocation invocation) throws Exception {
    Plan plan = plan(invocation);
    plan.warnings().forEach(w -> invocation.err().println("ttc: warning: " + w));
    SparkRuntime spark = invocation.spark();
    Configuration hadoop = spark.session().sparkContext().hadoopConfiguration();
    RunFolder run = plan.start() == RunStart.RESUME
        ? RunFolder.resuming(name(), invocation.config(), plan.folder(), plan.resumeStage(),
            hadoop)
        : RunFolder.starting(name(), invocation.config(), plan.folder(),
            plan.start() == RunStart.REPLACE, hadoop);
    Checkpoint last = train(spark.session(), invocation.config(), run,
        plan.start() == RunStart.RESUME, invocation.out());
    invocation.out().printf("%s: %d epochs done, last loss %.4f, checkpoint %s%n", name(),
        last.epoch(), last.loss(), Checkpoint.folder(run.path(), last.epoch()));
    return Main.OK;
  }

  /**
   * What a valid invocation will do.
   *
   * @param folder the run folder
   * @param start how the folder is used
   * @param resumeStage the stage name of a resume's record ({@code resume-epoch-NNNN}, NNNN
   *     the first epoch it trains), or null
   * @param warnings lines for stderr (the run goes on)
   */
  record Plan(Path folder, RunStart start, String resumeStage, List<String> warnings) {}

  /**
   * Every check that needs no Spark, all problems reported together; reads but never writes.
   *
   * @throws org.ttcspark.config.ConfigProblems listing them
   */
  Plan plan(Invocation invocation) {
    Config config = invocation.config();
    boolean resume = invocation.has("resume");
    Checks checks = new Checks(config);
    RunConfig runCfg = checks.read(RunConfig::from);
    checks.read(RuntimeConfig::from);
    TrainConfig train = checks.read(TrainConfig::from);
    checks.read(ModelConfig::from);
    checks.read(AugmentConfig::from);
    LossConfig loss = crossEntropy() ? null : checks.read(LossConfig::from);
    if (loss != null && train != null) {
      checks.check(() -> Pretrain.checkSbclSchedule(loss, train));
    }
    if (crossEntropy() && train != null && train.lossScope() == LossScope.GLOBAL) {
      checks.add("train.loss-scope = global is for the contrastive methods; train-ce trains "
          + "with train.loss-scope = local");
    }
    List<String> warnings = new ArrayList<>();
    Configuration hadoop = invocation.hadoop();
    String prepared = config.getString("dataset.prepared");
    if (prepared.isBlank()) {
      checks.add("dataset.prepared is empty: set it to a prepared dataset folder (ttc prepare "
          + "writes one)");
    } else {
      checks.checkIo(() -> {
        PreparedImages.open(prepared, hadoop);
        Manifest m = MinorityCheck.read(prepared, hadoop);
        if (loss != null) {
          String w = MinorityCheck.warning(m, loss.minorityClass(), prepared);
          if (w != null) {
            warnings.add(w);
          }
        }
      });
    }
    if (runCfg != null && resume && runCfg.name().isBlank()) {
      checks.add("ttc " + name() + " --resume needs run.name=<the run to continue>");
    }
    if (!checks.ok() && (runCfg == null || resume && runCfg.name().isBlank())) {
      checks.done();
    }
    Path folder = RunFolder.pathFor(name(), config);
    RunStart start = null;
    String resumeStage = null;
    try {
      RunFolderState state = RunFolderState.read(folder, hadoop);
      Path latest = state.holdsRun() ? Checkpoint.latest(folder, hadoop) : null;
      try {
        start = RunStart.decide(name(), state, resume, runCfg.overwrite(), latest != null);
      } catch (UsageException e) {
        checks.add(e.getMessage());
      }
      if (start == RunStart.RESUME) {
        resumeStage = String.format("resume-epoch-%04d",
            Checkpoint.read(latest, hadoop).epoch() + 1);
        Path record = new Path(folder, RunFolder.CONFIG);
        if (record.getFileSystem(hadoop).exists(record)) {
          Config recorded = ConfigFactory.parseString(HadoopFiles.readString(record, hadoop));
          String refusal = ResumeCompatibility.refusal(folder.toString(),
              ResumeCompatibility.differences(recorded, config, crossEntropy()));
          if (refusal != null) {
            checks.add(refusal);
          }
        } else {
          warnings.add("run folder " + folder + " has no " + RunFolder.CONFIG + " to check "
              + "--resume against; only the checkpoint's architecture is checked");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read run folder " + folder + ": " + e.getMessage(),
          e);
    }
    checks.done();
    return new Plan(folder, start, resumeStage, List.copyOf(warnings));
  }
}
