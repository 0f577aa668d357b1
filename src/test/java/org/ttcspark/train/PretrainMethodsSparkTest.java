package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.Pretrain;

/** The paper's two methods and the cross-entropy baseline train inside DistriOptimizer. */
@ExtendWith(SparkTestSession.class)
class PretrainMethodsSparkTest {
  @TempDir
  static Path tmp;

  // Un-augmented views (augment.recipe = none) so that 12 steps of a width-4 net show the
  // optimiser working whatever the thread timing; augmentation has its own tests.
  @ParameterizedTest
  @ValueSource(strings = {"supmin", "supproto", "ce"})
  void lossFallsOverThreeEpochs(String method, SparkSession spark) throws Exception {
    Path data = tmp.resolve("data");
    if (!Files.exists(data)) {
      SyntheticPrepared.write(spark, data, 16, 24, 40, 11);
    }
    Config config = ConfigLoader.load(List.of(), List.of("model.backbone=resnet18",
        "model.width=4", "model.projection-dim=16", "train.batch-size=32", "train.epochs=3",
        "train.warm-up-epochs=1", "train.learning-rate=0.05",
        "loss.method=" + (method.equals("ce") ? "supcon" : method),
        "run.dir=" + tmp.resolve("runs"), "run.name=" + method, "loss.temperature=0.5",
        "loss.base-temperature=0.5", "augment.recipe=none"))
        .withValue("dataset.prepared", ConfigValueFactory.fromAnyRef(data.toString()));
    RunFolder run = RunFolder.create("pretrain", config, new Configuration());
    PrintStream none = new PrintStream(OutputStream.nullOutputStream());
    if (method.equals("ce")) {
      Pretrain.runCrossEntropy(spark, config.withValue("train.ce.learning-rate",
          ConfigValueFactory.fromAnyRef(1e-3)), run, false, none);
    } else {
      Pretrain.run(spark, config, run, false, none);
    }
    List<JsonNode> rows = PretrainSparkTest.metrics(tmp.resolve("runs").resolve(method));
    double first = PretrainSparkTest.meanLoss(rows, 1);
    double last = PretrainSparkTest.meanLoss(rows, 3);
    assertTrue(last < first - 0.02, method + " loss fell from " + first + " to " + last);
  }
}
