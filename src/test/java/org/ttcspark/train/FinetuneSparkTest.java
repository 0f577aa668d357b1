package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.data.Columns;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.Finetune;
import org.ttcspark.train.bigdl.FinetunedClassifier;
import org.ttcspark.train.bigdl.Pretrain;

/** A tiny pretrain, then the fine-tuning protocol frozen and trainable, and its resume. */
@ExtendWith(SparkTestSession.class)
class FinetuneSparkTest {
  @TempDir
  Path tmp;

  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true);

  private static Config with(Config c, String key, Object value) {
    return c.withValue(key, ConfigValueFactory.fromAnyRef(value));
  }

  /**
   * One SimCLR epoch (run "pre") on synthetic data of 24 majority images and {@code minority}
   * minority ones per split, its val split also serving as test; its configuration.
   */
  private Config pretrained(SparkSession spark, int minority, long seed) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 24, minority, seed);
    PretrainSparkTest.copyTree(data.resolve(Columns.SPLIT + "=" + Columns.VAL),
        data.resolve(Columns.SPLIT + "=" + Columns.TEST));
    Config pre = PretrainSparkTest.config(tmp, data, "simclr", "pre", 1);
    Pretrain.run(spark, pre, RunFolder.create("pretrain", pre, new Configuration()), false, QUIET);
    return pre;
  }

  @Test
  void frozenKeepsBackboneTrainableChangesItAndResumeContinues(SparkSession spark)
      throws Exception {
    Config pre = pretrained(spark, 24, 3);
    Path run = tmp.resolve("runs/pre");
    Config ft = with(with(pre, "finetune.epochs", 2), "finetune.batch-size", 16);
    byte[] pretrainedFile = Files.readAllBytes(run.resolve("checkpoints/epoch-0001/model.bigdl"));
    float[][] pretrained = backbone(run.resolve("checkpoints/epoch-0001"));

    Finetune.Result frozen = Finetune.run(spark, ft, new org.apache.hadoop.fs.Path(
        run.toString()), false, QUIET);
    assertEquals(2, frozen.last().epoch());
    JsonNode results = Json.MAPPER.readTree(run.resolve("finetune/results.json").toFile());
    assertFalse(results.get("head_diverged").asBoolean(), results.toString());
    JsonNode scaling = Json.MAPPER.readTree(run.resolve("finetune/"
        + org.ttcspark.train.bigdl.Finetune.STANDARDIZATION).toFile());
    assertTrue(scaling.get("mean").size() > 0
        && scaling.get("mean").size() == scaling.get("inverse_std").size(), scaling.toString());
    for (String split : List.of("val", "test")) {
      for (String k : List.of("accuracy", "balanced_accuracy", "auroc", "minority_f1")) {
        double v = results.get(split).get(k).asDouble(-1);
        assertTrue(v >= 0 && v <= 1, split + " " + k + " = " + v);
      }
    }
    assertEquals(false, results.get("trainable").asBoolean());
    assertEquals("simclr", results.get("pretrain_method").asText());
    // frozen: the head alone trains (on the backbone's features), the backbone is untouched
    assertArrayEquals(pretrainedFile, Files.readAllBytes(
        run.resolve("checkpoints/epoch-0001/model.bigdl")), "pretrained model unchanged");
    float[][] frozenModel = parameters(module(run.resolve("finetune/checkpoints/epoch-0002")));
    int features = pretrained[pretrained.length - 1].length;
    assertEquals(2, frozenModel.length, "frozen checkpoint = the linear head only");
    assertEquals(2 * features, frozenModel[0].length);
    assertFalse(java.util.Arrays.equals(head(run.resolve("finetune/checkpoints/epoch-0001")),
        head(run.resolve("finetune/checkpoints/epoch-0002"))), "the head trains");
    assertEquals(List.of(1, 2), valEpochs(run.resolve("finetune")));

    IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
        () -> Finetune.run(spark, ft, new org.apache.hadoop.fs.Path(run.toString()), false,
            QUIET));
    assertTrue(again.getMessage().contains("--resume"), again.getMessage());

    Finetune.Result resumed = Finetune.run(spark, with(ft, "finetune.epochs", 3),
        new org.apache.hadoop.fs.Path(run.toString()), true, QUIET);
    assertEquals(3, resumed.last().epoch());
    assertEquals(frozen.last().iteration() * 3 / 2, resumed.last().iteration(),
        "resumed at the saved iteration");
    assertEquals(List.of(1, 2, 3), valEpochs(run.resolve("finetune")));

    Config trainable = with(with(ft, "finetune.trainable", true), "finetune.folder",
        "finetune-trainable");
    Finetune.run(spark, trainable, new org.apache.hadoop.fs.Path(run.toString()), false, QUIET);
    float[][] afterTrainable = backbone(run.resolve("finetune-trainable/checkpoints/epoch-0002"));
    int changed = 0;
    for (int i = 0; i < pretrained.length; i++) {
      changed += java.util.Arrays.equals(pretrained[i], afterTrainable[i]) ? 0 : 1;
    }
    assertTrue(changed > pretrained.length / 2, changed + " of " + pretrained.length
        + " backbone parameters changed when trainable");
    assertTrue(Files.exists(run.resolve("finetune-trainable/results.json")));

    // export reads both back as backbone + head: the frozen one from the pretrain checkpoint
    // results.json names, with the saved standardisation folded into its head
    FinetunedClassifier.Assembled exportFrozen = sameLogitsAsAssembled(run, "finetune", 3,
        scaling);
    assertEquals(results.get("source_checkpoint").asText(),
        exportFrozen.backboneFrom().getParent().toString());
    assertTrue(exportFrozen.standardized());
    FinetunedClassifier.Assembled exportTrainable = sameLogitsAsAssembled(run,
        "finetune-trainable", 2, null);
    assertFalse(exportTrainable.standardized());
  }

  /**
   * The frozen features' standardisation is that of the train split with every image once:
   * upsampling the minority (here 4 copies of each of 6 images) repeats rows for the head's
   * training but does not weight the mean and scale, which equal an unbalanced finetune's.
   */
  @Test
  void upsamplingLeavesTheFeatureStandardizationOfTheSplit(SparkSession spark)
      throws Exception {
    Config pre = pretrained(spark, 6, 5);
    Path run = tmp.resolve("runs/pre");
    org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(run.toString());
    Config upsample = with(with(with(pre, "finetune.epochs", 1), "finetune.batch-size", 16),
        "finetune.balance", "upsample");
    Finetune.run(spark, upsample, from, false, QUIET);
    Finetune.run(spark, with(with(upsample, "finetune.balance", "none"), "finetune.folder",
        "finetune-none"), from, false, QUIET);
    JsonNode up = Json.MAPPER.readTree(run.resolve("finetune/" + Finetune.STANDARDIZATION)
        .toFile());
    JsonNode plain = Json.MAPPER.readTree(run.resolve("finetune-none/"
        + Finetune.STANDARDIZATION).toFile());
    for (String k : List.of("mean", "inverse_std")) {
      assertEquals(plain.get(k).size(), up.get(k).size(), k);
      assertTrue(plain.get(k).size() > 0, k);
      for (int i = 0; i < plain.get(k).size(); i++) {
        double want = plain.get(k).get(i).asDouble();
        assertEquals(want, up.get(k).get(i).asDouble(), 1e-5 * Math.max(1, Math.abs(want)),
            k + "[" + i + "] with the minority upsampled");
      }
    }
  }

  /**
   * The classifier export assembles from a finetune folder gives the finetune's eval logits:
   * backbone, then (frozen) the saved standardisation, then the checkpoint's head.
   */
  @SuppressWarnings("unchecked")
  private static FinetunedClassifier.Assembled sameLogitsAsAssembled(Path run, String folder,
      int epoch, JsonNode scaling) throws Exception {
    Path checkpoint = run.resolve(folder + String.format("/checkpoints/epoch-%04d", epoch));
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(
        checkpoint.resolve("model.bigdl").toString());
    Configuration conf = new Configuration();
    FinetunedClassifier.Assembled a = FinetunedClassifier.load(ModuleFiles.load(file, conf),
        file, conf);
    int channels = (int) org.ttcspark.model.torch.StateDict.of(a.model())
        .get("backbone.conv1.weight").shape()[1];
    int n = 2;
    java.util.Random rng = new java.util.Random(4);
    float[] x = new float[n * channels * 16 * 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    Tensor<Object> input = Bigdl.tensor(x, n, channels, 16, 16);
    Sequential<Object> head = module(checkpoint);
    head.evaluate();
    float[] want;
    if (scaling == null) {
      want = Bigdl.toArray((Tensor<Object>) head.forward(input));
    } else {
      Sequential<Object> pre = module(run.resolve("checkpoints/epoch-0001"));
      pre.evaluate();
      float[] f = Bigdl.toArray((Tensor<Object>) pre.modules().apply(0).forward(input));
      int d = f.length / n;
      for (int i = 0; i < f.length; i++) {
        f[i] = (f[i] - (float) scaling.get("mean").get(i % d).asDouble())
            * (float) scaling.get("inverse_std").get(i % d).asDouble();
      }
      want = Bigdl.toArray((Tensor<Object>) head.forward(Bigdl.tensor(f, n, d, 1, 1)));
    }
    a.model().evaluate();
    float[] got = Bigdl.toArray((Tensor<Object>) a.model().forward(input));
    assertEquals(2 * n, got.length, "two logits per image");
    for (int i = 0; i < got.length; i++) {
      assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), folder + " logit "
          + i);
    }
    return a;
  }

  /** Every parameter tensor (weights and biases) of a checkpoint's backbone, as floats. */
  private static float[][] backbone(Path checkpoint) throws Exception {
    return parameters(module(checkpoint).modules().apply(0));
  }

  /** The last layer's weights. */
  private static float[] head(Path checkpoint) throws Exception {
    Sequential<Object> m = module(checkpoint);
    float[][] p = parameters(m.modules().apply(m.modules().size() - 1));
    return p[0];
  }

  @SuppressWarnings("unchecked")
  private static Sequential<Object> module(Path checkpoint) throws Exception {
    return (Sequential<Object>) (Object) ModuleFiles.load(new org.apache.hadoop.fs.Path(
        checkpoint.resolve("model.bigdl").toString()), new Configuration());
  }

  private static float[][] parameters(AbstractModule<Activity, Activity, Object> m) {
    Tensor<Object>[] weights = m.parameters()._1();
    float[][] out = new float[weights.length][];
    for (int i = 0; i < weights.length; i++) {
      out[i] = Bigdl.toArray(weights[i]);
    }
    return out;
  }

  private static List<Integer> valEpochs(Path folder) throws Exception {
    List<Integer> epochs = new ArrayList<>();
    for (JsonNode row : PretrainSparkTest.metrics(folder)) {
      if ("finetune_val".equals(row.path("event").asText())) {
        epochs.add(row.get("epoch").asInt());
      }
    }
    return epochs;
  }
}
