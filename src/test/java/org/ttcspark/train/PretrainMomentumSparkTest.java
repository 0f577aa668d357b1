package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.OptimState;
import org.ttcspark.train.bigdl.Pretrain;

/**
 * The SGD momentum buffer travels with the checkpoint: a run resumed after epoch 1 takes the
 * same second step as the run that was never stopped. Without the buffer the step would differ
 * by {@code lr * momentum * buffer}.
 */
@ExtendWith(SparkTestSession.class)
class PretrainMomentumSparkTest {
  @TempDir
  Path tmp;

  // One batch holds the whole train split (32 samples), views are un-augmented and SimCLR has
  // no random choices: every run's step sees the same batch, only its row order differs. The
  // warm-up spans the run so that the second step's rate is 0.55 lr, not the cosine's 0.001 lr.
  private Config config(Path data, String name) {
    return ConfigLoader.load(List.of(), List.of("model.backbone=resnet18", "model.width=4",
        "model.projection-dim=16", "train.batch-size=32", "train.epochs=2",
        "train.warm-up-epochs=2", "train.learning-rate=0.05", "loss.method=simclr",
        "loss.temperature=0.5", "loss.base-temperature=0.5", "augment.recipe=none",
        "run.dir=" + tmp.resolve("runs"), "run.name=" + name))
        .withValue("dataset.prepared", ConfigValueFactory.fromAnyRef(data.toString()));
  }

  private String train(SparkSession spark, Path data, String name, boolean resume)
      throws Exception {
    Config c = config(data, name);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Pretrain.run(spark, c, RunFolder.create("pretrain", c, new Configuration()), resume,
        new PrintStream(console, true));
    return console.toString();
  }

  private float[] weightsAfterEpoch2(String run) throws Exception {
    return Bigdl.toArray(ModuleFiles.load(new org.apache.hadoop.fs.Path(tmp.resolve("runs")
        .resolve(run).resolve("checkpoints/epoch-0002/model.bigdl").toString()),
        new Configuration()).getParameters()._1());
  }

  private static double maxDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  @Test
  void resumedRunContinuesWithTheSavedMomentum(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 16, 16, 5);
    train(spark, data, "straight", false);
    Path saved = tmp.resolve("runs/straight/checkpoints/epoch-0001");
    Path momentum = saved.resolve(OptimState.FOLDER).resolve("dfdx.npy");
    assertTrue(Files.exists(momentum), "the checkpoint holds the momentum buffer");

    PretrainSparkTest.copyTree(saved, tmp.resolve("runs/warm/checkpoints/epoch-0001"));
    String warm = train(spark, data, "warm", true);
    assertFalse(warm.contains("not restored"), warm);

    // what restarting the momentum at zero would change in the second step: lr * 0.9 * buffer
    float[] buffer = org.ttcspark.data.npy.Npy.read(new org.apache.hadoop.fs.Path(
        momentum.toString()), new Configuration()).floats();
    double coldShift = 0;
    for (float v : buffer) {
      coldShift = Math.max(coldShift, 0.05 * 0.55 * 0.9 * Math.abs(v));
    }
    double warmShift = maxDifference(weightsAfterEpoch2("warm"), weightsAfterEpoch2("straight"));
    assertTrue(coldShift > 1e-3, "the momentum term moves the weights: " + coldShift);
    assertTrue(warmShift < coldShift / 50, "resumed with the saved momentum the weights differ "
        + "by " + warmShift + "; without it they would by about " + coldShift);
  }
}
