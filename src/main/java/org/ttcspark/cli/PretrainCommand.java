package org.ttcspark.cli;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.bigdl.Pretrain;

/** {@code ttc pretrain}: contrastive pretraining of the encoder with BigDL's DistriOptimizer. */
final class PretrainCommand implements Command {
  @Override
  public String name() {
    return "pretrain";
  }

  @Override
  public String summary() {
    return "train a contrastive encoder (supcon, supmin, supproto, simclr, sbcl, kcl, tsc) with "
        + "BigDL";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.toggle("resume", "continue the run named run.name from its newest "
        + "checkpoint (same epoch, iteration and learning rate)"));
  }

  @Override
  public List<String> configSections() {
    return List.of("dataset", "model", "loss", "train", "augment", "engine", "run");
  }

  @Override
  public int run(Invocation invocation) throws Exception {
    boolean resume = invocation.has("resume");
    if (resume && RunConfig.from(invocation.config()).name().isBlank()) {
      throw new UsageException("ttc pretrain --resume needs run.name=<the run to continue>");
    }
    SparkRuntime spark = invocation.spark();
    Configuration hadoop = spark.session().sparkContext().hadoopConfiguration();
    RunFolder run = RunFolder.create(name(), invocation.config(), hadoop);
    Checkpoint last = Pretrain.run(spark.session(), invocation.config(), run, resume,
        invocation.out());
    invocation.out().printf("pretrain: %d epochs done, last loss %.4f, checkpoint %s%n",
        last.epoch(), last.loss(), Checkpoint.folder(run.path(), last.epoch()));
    return Main.OK;
  }
}
