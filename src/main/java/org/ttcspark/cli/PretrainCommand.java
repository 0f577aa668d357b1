package org.ttcspark.cli;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.bigdl.Pretrain;

/** {@code ttc pretrain}: contrastive pretraining of the encoder with BigDL's DistriOptimizer. */
final class PretrainCommand extends TrainingCommand {
  @Override
  public String name() {
    return "pretrain";
  }

  @Override
  public String summary() {
    return "train a contrastive encoder (supcon, supmin, supproto, simclr, sbcl, kcl, tsc, bcl, paco) with "
        + "BigDL";
  }

  @Override
  public List<String> configSections() {
    return List.of("dataset", "model", "loss", "train", "augment", "engine", "run");
  }

  @Override
  boolean crossEntropy() {
    return false;
  }

  @Override
  Checkpoint train(SparkSession spark, Config config, RunFolder run, boolean resume,
      PrintStream console) throws Exception {
    return Pretrain.run(spark, config, run, resume, console);
  }
}
