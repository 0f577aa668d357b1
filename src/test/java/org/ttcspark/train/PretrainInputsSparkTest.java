package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.Pretrain;

/** Bad input stops pretrain before the first iteration with one clear error. */
@ExtendWith(SparkTestSession.class)
class PretrainInputsSparkTest {
  @TempDir
  static Path tmp;
  static Path data;
  static Path oneClass;

  @BeforeAll
  static void datasets() throws Exception {
    SparkSession spark = SparkTestSession.session();
    data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 8, 8, 1);
    oneClass = SyntheticPrepared.write(spark, tmp.resolve("one"), 16, 0, 8, 1);
  }

  private static Config config(Path dataset, String... more) {
    List<String> o = new ArrayList<>(List.of("model.backbone=resnet18", "model.width=4",
        "model.projection-dim=8", "train.batch-size=8", "train.epochs=1",
        "run.dir=" + tmp.resolve("runs")));
    o.addAll(List.of(more));
    return ConfigLoader.load(List.of(), o)
        .withValue("dataset.prepared", ConfigValueFactory.fromAnyRef(dataset.toString()));
  }

  private static String failure(SparkSession spark, Config c, boolean resume) throws Exception {
    RunFolder run = RunFolder.create("pretrain", c, new Configuration());
    PrintStream none = new PrintStream(OutputStream.nullOutputStream());
    return assertThrows(IllegalArgumentException.class,
        () -> Pretrain.run(spark, c, run, resume, none)).getMessage();
  }

  @Test
  void rejectsMissingDataset(SparkSession spark) throws Exception {
    String m = failure(spark, config(tmp.resolve("nowhere"), "run.name=a"), false);
    assertTrue(m.contains("nowhere") && m.contains("manifest.json"), m);
  }

  @Test
  void rejectsTrainSplitWithOneClass(SparkSession spark) throws Exception {
    String m = failure(spark, config(oneClass, "run.name=b"), false);
    assertTrue(m.contains("one class"), m);
  }

  @Test
  void rejectsBatchLargerThanTheTrainSplit(SparkSession spark) throws Exception {
    String m = failure(spark, config(data, "run.name=c", "train.batch-size=32"), false);
    assertTrue(m.contains("train.batch-size = 32") && m.contains("16 images"), m);
  }

  @Test
  void rejectsSbclWhoseWarmUpLastsTheWholeRun(SparkSession spark) throws Exception {
    String m = failure(spark, config(data, "run.name=d", "loss.method=sbcl",
        "loss.sbcl.warm-up-epochs=1"), false);
    assertTrue(m.contains("loss.sbcl.warm-up-epochs = 1") && m.contains("train.epochs = 1")
        && m.contains("never cluster"), m);
  }

  @Test
  void rejectsResumingDataPrototypesOfARunStartedWithout(SparkSession spark) throws Exception {
    Config c = config(data, "run.name=f", "loss.method=supproto", "loss.prototypes=data",
        "train.epochs=2");
    Path folder = tmp.resolve("runs/f/checkpoints/epoch-0001");
    Files.createDirectories(folder);
    ModelConfig m = ModelConfig.from(c);
    ModuleFiles.save(Layers.any(Encoders.contrastive(m, 3, 16, 1)),
        new org.apache.hadoop.fs.Path(folder.resolve(Checkpoint.MODEL).toString()),
        new Configuration());
    new Checkpoint(1, 2, 0.1, m.signature(3, 16), "supproto", 1.0)
        .writeState(new org.apache.hadoop.fs.Path(folder.toString()), new Configuration());
    String msg = failure(spark, c, true);
    assertTrue(msg.contains("prototypes.npy is missing") && msg.contains("loss.prototypes"),
        msg);
  }

  @Test
  void rejectsResumingACheckpointOfAnotherModel(SparkSession spark) throws Exception {
    Config c = config(data, "run.name=e");
    Path folder = tmp.resolve("runs/e/checkpoints/epoch-0001");
    Files.createDirectories(folder);
    ModelConfig other = ModelConfig.from(config(data, "model.width=8"));
    ModuleFiles.save(Layers.any(Encoders.contrastive(other, 3, 16, 1)),
        new org.apache.hadoop.fs.Path(folder.resolve(Checkpoint.MODEL).toString()),
        new Configuration());
    new Checkpoint(1, 2, 0.1, other.signature(3, 16), "supmin", 1.0)
        .writeState(new org.apache.hadoop.fs.Path(folder.toString()), new Configuration());
    String m = failure(spark, c, true);
    assertTrue(m.contains("-w8-") && m.contains("-w4-"), m);
  }
}
