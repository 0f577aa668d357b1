package org.ttcspark.cli;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.bigdl.Pretrain;

/** {@code ttc train-ce}: the weighted cross-entropy baseline (backbone + linear layer, Adam). */
final class TrainCeCommand implements Command {
  @Override
  public String name() {
    return "train-ce";
  }

  @Override
  public String summary() {
    return "train the weighted cross-entropy baseline";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.toggle("resume", "continue the run named run.name from its newest "
        + "checkpoint (same epoch, iteration and learning rate)"));
  }

  @Override
  public List<String> configSections() {
    return List.of("dataset", "model", "train", "augment", "engine", "run");
  }

  @Override
  public int run(Invocation invocation) throws Exception {
    boolean resume = invocation.has("resume");
    if (resume && RunConfig.from(invocation.config()).name().isBlank()) {
      throw new UsageException("ttc train-ce --resume needs run.name=<the run to continue>");
    }
    SparkRuntime spark = invocation.spark();
    Configuration hadoop = spark.session().sparkContext().hadoopConfiguration();
    RunFolder run = RunFolder.create(name(), invocation.config(), hadoop);
    Checkpoint last = Pretrain.runCrossEntropy(spark.session(), invocation.config(), run, resume,
        invocation.out());
    invocation.out().printf("train-ce: %d epochs done, last loss %.4f, checkpoint %s%n",
        last.epoch(), last.loss(), Checkpoint.folder(run.path(), last.epoch()));
    return Main.OK;
  }
}
