package org.ttcspark.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.Checkpoint;

/**
 * What {@code pretrain} and {@code train-ce} share: the run folder, {@code --resume} and the
 * closing summary line.
 */
abstract class TrainingCommand implements Command {
  /** Trains into {@code run} and returns the last checkpoint. */
  abstract Checkpoint train(SparkSession spark, com.typesafe.config.Config config, RunFolder run,
      boolean resume, PrintStream console) throws Exception;

  @Override
  public List<Flag> flags() {
    return List.of(Flag.toggle("resume", "continue the run named run.name from its newest "
        + "checkpoint (same epoch, iteration and learning rate)"));
  }

  @Override
  public int run(Invocation invocation) throws Exception {
    boolean resume = invocation.has("resume");
    if (resume && RunConfig.from(invocation.config()).name().isBlank()) {
      throw new UsageException("ttc " + name() + " --resume needs run.name=<the run to continue>");
    }
    SparkRuntime spark = invocation.spark();
    Configuration hadoop = spark.session().sparkContext().hadoopConfiguration();
    RunFolder run = RunFolder.create(name(), invocation.config(), hadoop);
    Checkpoint last = train(spark.session(), invocation.config(), run, resume, invocation.out());
    invocation.out().printf("%s: %d epochs done, last loss %.4f, checkpoint %s%n", name(),
        last.epoch(), last.loss(), Checkpoint.folder(run.path(), last.epoch()));
    return Main.OK;
  }
}
