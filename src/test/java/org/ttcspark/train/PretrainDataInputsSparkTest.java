package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.data.Columns;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.ContrastiveLossSeam;
import org.ttcspark.train.bigdl.Pretrain;
import org.ttcspark.train.bigdl.SubclassFiles;
import org.ttcspark.train.bigdl.ViewBatch;
import org.ttcspark.train.bigdl.ViewBatcher;

/**
 * What the losses need from the data, through the loss seam inside a real pretrain: SBCL's
 * k-means subclasses, SupProto's data prototypes, and the per-epoch validation loss.
 */
@ExtendWith(SparkTestSession.class)
class PretrainDataInputsSparkTest {
  @TempDir
  static Path tmp;
  static Path data;

  @BeforeAll
  static void dataset() throws Exception {
    // 16 of class 0, 48 of class 1 in train and val: SBCL splits class 1 into 48 // 16 = 3
    data = SyntheticPrepared.write(SparkTestSession.session(), tmp.resolve("data"), 16, 16, 48,
        13);
  }

  private static Config config(String name, String... more) {
    List<String> o = new ArrayList<>(List.of("model.backbone=resnet18", "model.width=4",
        "model.projection-dim=16", "train.batch-size=32", "train.warm-up-epochs=1",
        "train.learning-rate=0.05", "loss.temperature=0.5", "loss.base-temperature=0.5",
        "augment.recipe=none", "run.dir=" + tmp.resolve("runs"), "run.name=" + name));
    o.addAll(List.of(more));
    return ConfigLoader.load(List.of(), o)
        .withValue("dataset.prepared", ConfigValueFactory.fromAnyRef(data.toString()));
  }

  private static String train(SparkSession spark, Config c, boolean resume) throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Pretrain.run(spark, c, RunFolder.create("pretrain", c, new Configuration()), resume,
        new PrintStream(console, true));
    return console.toString();
  }

  @Test
  void sbclClustersAfterItsWarmUpTrainsOnTheSubclassesAndResumesWithThem(SparkSession spark)
      throws Exception {
    Config c = config("sbcl", "loss.method=sbcl", "train.epochs=3",
        "loss.sbcl.warm-up-epochs=1", "loss.sbcl.cluster-every=10", "loss.sbcl.temperature=0.5",
        "loss.sbcl.base-temperature=0.5");
    String console = train(spark, c, false);
    Path run = tmp.resolve("runs/sbcl");
    assertTrue(console.contains("SBCL epoch 2: [1, 3] subclasses per class"), console);
    Path clustering = run.resolve(SubclassFiles.FOLDER).resolve("epoch-0002");
    assertTrue(Files.exists(clustering), "the clustering of epoch 2 is kept");
    assertFalse(Files.exists(run.resolve(SubclassFiles.FOLDER).resolve("epoch-0001")),
        "the warm-up epoch does not cluster");
    Set<Integer> class0 = new HashSet<>();
    Set<Integer> class1 = new HashSet<>();
    for (Row r : spark.read().parquet(clustering.resolve("assignments").toString())
        .select("label", "cluster").collectAsList()) {
      (r.getInt(0) == 0 ? class0 : class1).add(r.getInt(1));
    }
    assertEquals(Set.of(0), class0);
    assertEquals(Set.of(1, 2, 3), class1);
    List<JsonNode> rows = PretrainSparkTest.metrics(run);
    double first = PretrainSparkTest.meanLoss(rows, 2);
    double last = PretrainSparkTest.meanLoss(rows, 3);
    assertTrue(last < first - 0.02, "SBCL loss fell from " + first + " to " + last);

    // killed after epoch 2: the resumed epoch 3 trains on the saved subclasses of epoch 2
    Path killed = tmp.resolve("runs/sbcl-killed");
    PretrainSparkTest.copyTree(run.resolve("checkpoints/epoch-0002"),
        killed.resolve("checkpoints/epoch-0002"));
    PretrainSparkTest.copyTree(clustering, killed.resolve(SubclassFiles.FOLDER)
        .resolve("epoch-0002"));
    String resumed = train(spark, config("sbcl-killed", "loss.method=sbcl", "train.epochs=3",
        "loss.sbcl.warm-up-epochs=1", "loss.sbcl.cluster-every=10", "loss.sbcl.temperature=0.5",
        "loss.sbcl.base-temperature=0.5"), true);
    assertTrue(resumed.contains("subclasses of epoch 2 read from"), resumed);
    assertEquals(2, PretrainSparkTest.metrics(killed).stream()
        .filter(PretrainSparkTest::iterationLine).count(), "only epoch 3 is trained");
    assertFalse(Files.exists(killed.resolve(SubclassFiles.FOLDER).resolve("epoch-0003")),
        "no new clustering");
  }

  @Test
  void supprotoDataPrototypesAreMinusTheMeanTrainProjectionOfTheInitialModel(SparkSession spark)
      throws Exception {
    Config c = config("proto", "loss.method=supproto", "loss.prototypes=data", "train.epochs=1");
    String console = train(spark, c, false);
    assertTrue(console.contains("data prototypes from 64 train projections"), console);
    float[] saved = Npy.read(new org.apache.hadoop.fs.Path(tmp.resolve("runs/proto")
        .resolve(ContrastiveLossSeam.PROTOTYPES).toString()), new Configuration()).floats();

    // the same projections on the driver, one image at a time
    ModelConfig m = ModelConfig.from(c);
    AbstractModule<Activity, Activity, Object> model =
        Layers.any(Encoders.contrastive(m, 3, 16, 42));
    model.evaluate();
    PreparedImages images = PreparedImages.open(data.toString(), new Configuration());
    AugmentViews eval = new AugmentViews(Augmentations.eval(AugmentConfig.from(c).withSize(16)),
        16, images.mean(), images.std());
    double[] sum = new double[16];
    for (TrainSample s : images.samples(spark, Columns.TRAIN).collect()) {
      float[] z = Bigdl.toArray((Tensor<Object>) model.forward(
          Bigdl.tensor(eval.view(s, 0), 1, 3, 16, 16)));
      double norm = 0;
      for (float v : z) {
        norm += v * v;
      }
      for (int j = 0; j < 16; j++) {
        sum[j] += z[j] / Math.sqrt(norm);
      }
    }
    double len = Math.sqrt(java.util.Arrays.stream(sum).map(v -> v * v).sum());
    float[] expected = new float[32];
    for (int j = 0; j < 16; j++) {
      expected[j] = (float) (-sum[j] / len);
      expected[16 + j] = -expected[j];
    }
    assertArrayEquals(expected, saved, 1e-4f);
  }

  @Test
  void validationLossOfEveryEpochIsTheLossOfTheValSplitUnderThatEpochsModel(SparkSession spark)
      throws Exception {
    Config c = config("val", "loss.method=simclr", "train.epochs=2", "train.batch-size=64",
        "train.validation=true");
    String console = train(spark, c, false);
    assertTrue(console.contains("validation loss"), console);
    List<JsonNode> lines = PretrainSparkTest.metrics(tmp.resolve("runs/val"));
    List<JsonNode> val = lines.stream().filter(l -> l.has("val_loss")).toList();
    assertEquals(2, val.size(), "one validation line per epoch: " + lines);
    assertEquals(2, val.get(1).get("epoch").asInt());
    assertEquals(64, val.get(1).get("val_samples").asInt());

    // the val split as one batch of 64 (what one loss call sees), views of epoch 0, model of
    // epoch 2 in evaluation mode
    AbstractModule<Activity, Activity, Object> model = ModuleFiles.load(
        new org.apache.hadoop.fs.Path(tmp.resolve("runs/val/checkpoints/epoch-0002/model.bigdl")
            .toString()), new Configuration());
    model.evaluate();
    PreparedImages images = PreparedImages.open(data.toString(), new Configuration());
    AugmentViews views = new AugmentViews(Augmentations.train(AugmentConfig.from(c)
        .withSize(16)), 16, images.mean(), images.std());
    ViewBatch batch = new ViewBatcher(64, views, 42, 0, 2)
        .batch(images.samples(spark, Columns.VAL).collect());
    ContrastiveCriterion simclr = new ContrastiveCriterion(SupConLoss.simclr(0.5, 0.5), 1);
    @SuppressWarnings("unchecked")
    float expected = (Float) simclr.forward((Tensor<Object>) model.forward(batch.getInput()),
        (Tensor<Object>) batch.getTarget());
    assertEquals(expected, val.get(1).get("val_loss").asDouble(), 1e-4);
  }
}
