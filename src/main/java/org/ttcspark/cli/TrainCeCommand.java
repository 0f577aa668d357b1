package org.ttcspark.cli;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.bigdl.Pretrain;

/** {@code ttc train-ce}: the weighted cross-entropy baseline (backbone + linear layer, Adam). */
final class TrainCeCommand extends TrainingCommand {
  @Override
  public String name() {
    return "train-ce";
  }

  @Override
  public String summary() {
    return "train the weighted cross-entropy baseline";
  }

  @Override
  public List<String> configSections() {
    return List.of("dataset", "model", "train", "augment", "engine", "run");
  }

  @Override
  boolean crossEntropy() {
    return true;
  }

  @Override
  Checkpoint train(SparkSession spark, Config config, RunFolder run, boolean resume,
      PrintStream console) throws Exception {
    return Pretrain.runCrossEntropy(spark, config, run, resume, console);
  }
}
