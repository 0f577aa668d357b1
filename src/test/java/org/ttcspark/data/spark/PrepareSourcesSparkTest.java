package org.ttcspark.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ttcspark.data.spark.PrepareFixture.prepare;
import static org.ttcspark.data.spark.PrepareFixture.rows;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.data.Columns;
import org.ttcspark.data.Images;
import org.ttcspark.data.Manifest;
import org.ttcspark.data.PreparedDataset;
import org.ttcspark.data.SourceFiles;
import org.ttcspark.data.npy.NpyArray;
import org.ttcspark.testing.SparkTestSession;

/** Each source round-trips from files in its real format to Parquet rows. */
@ExtendWith(SparkTestSession.class)
class PrepareSourcesSparkTest extends LocalFolderFixture {

  @Test
  void inat21MatchesPrefixesCaseInsensitivelyAndKeepsSourcePixels(SparkSession spark)
      throws Exception {
    String[] taxa = {"Animalia_Chordata_Mammalia_Artiodactyla_Cervidae_Cervus_elaphus",
        "Animalia_Chordata_Mammalia_Carnivora_Felidae_Lynx_lynx",
        "animalia_chordata_mammalia_CARNIVORA_Canidae_Vulpes_vulpes",
        "Plantae_Tracheophyta_Magnoliopsida_Fagales_Fagaceae_Quercus_robur"};
    SourceFiles.inat21(new Path(path("inat")), LOCAL, taxa, new int[] {10, 4}, 12);
    Manifest m = prepare(spark, "dataset.source=inat21", "dataset.path=" + path("inat"),
        "dataset.prepared=" + path("out"), "dataset.ratios=[0.2,0.8]",
        "dataset.val-fraction=0.1", "dataset.inat21.prefixes=[\"Animalia_Chordata_Mammalia_"
            + "Artiodactyla\",\"Animalia_Chordata_Mammalia_Carnivora\"]");
    // pools after holding out round(10 * 0.1) = 1 and round(20 * 0.1) = 2: 9 and 18, m = 9
    assertEquals(Map.of("0", 1L, "1", 7L), m.counts().get(Columns.TRAIN));
    assertEquals(Map.of("0", 1L, "1", 1L), m.counts().get(Columns.VAL));
    assertEquals(Map.of("0", 4L, "1", 4L), m.counts().get(Columns.TEST));
    assertEquals(3, m.channels(), "gray and RGB categories mixed: 3 channels");
    assertEquals(12, m.height());
    for (Row r : rows(spark, path("out"))) {
      String category = r.getAs(Columns.CLASS_NAME);
      int index = Integer.parseInt(category.substring(0, 5));
      assertEquals(index == 0 ? 0 : 1, (int) r.getAs(Columns.LABEL));
      assertTrue(index < 3, "plants never selected");
      String file = new Path((String) r.getAs(Columns.SOURCE)).getName();
      int k = Integer.parseInt(file.substring(0, file.indexOf('.')));
      byte[] stored = r.getAs(Columns.IMAGE);
      assertArrayEquals(Files.readAllBytes(java.nio.file.Path.of(
          new Path((String) r.getAs(Columns.SOURCE)).toUri())), stored, "bytes kept as read");
      if (file.endsWith(".png")) {
        int split = r.getAs(Columns.SPLIT).equals(Columns.TEST) ? 1 : 0;
        assertArrayEquals(SourceFiles.pixels(split * 1_000_000L + index * 1000L + k, 12, 12,
            index % 2 == 1 ? 1 : 3), Images.decode(stored).pixels());
      }
    }
  }

  @Test
  void medmnistKeepsArrayPixelsAsPngAndReducesOctToDiseaseVersusNormal(SparkSession spark)
      throws Exception {
    Map<String, NpyArray> arrays = SourceFiles.medmnist(new int[] {40, 12, 16}, 28, true,
        (split, i) -> i % 4, 1);
    SourceFiles.writeNpz(new Path(path("octmnist.npz")), LOCAL, arrays);
    Manifest m = prepare(spark, "dataset.source=medmnist", "dataset.path=" + path("octmnist.npz"),
        "dataset.prepared=" + path("out"), "dataset.medmnist.flavour=oct",
        "dataset.ratios=[0.5,0.5]");
    // label 1 = classes 0..2 (30 of 40), label 0 = class 3 (10): m = 10, 5 each
    assertEquals(Map.of("0", 5L, "1", 5L), m.counts().get(Columns.TRAIN));
    assertEquals(Map.of("0", 3L, "1", 3L), m.counts().get(Columns.VAL));
    assertEquals(List.of("normal", "disease"), m.classNames());
    for (Row r : rows(spark, path("out"))) {
      String split = r.getAs(Columns.SPLIT);
      String id = r.getAs(Columns.ID);
      int i = Integer.parseInt(id.substring(id.indexOf('[') + 1, id.indexOf(']')));
      assertEquals(i % 4 == 3 ? 0 : 1, (int) r.getAs(Columns.LABEL));
      byte[] all = arrays.get(split + "_images").bytes();
      byte[] expected = java.util.Arrays.copyOfRange(all, i * 28 * 28 * 3, (i + 1) * 28 * 28 * 3);
      assertArrayEquals(expected, Images.decode(r.getAs(Columns.IMAGE)).pixels());
      assertEquals(3, (int) r.getAs(Columns.CHANNELS));
    }
  }

  @Test
  void medmnistChestBecomesAnyFindingAndGrayStaysGray(SparkSession spark) throws Exception {
    // row i has finding (i % 14) when i % 3 == 0, else no finding
    SourceFiles.writeNpz(new Path(path("chest.npz")), LOCAL, SourceFiles.medmnist(
        new int[] {30, 6, 9}, 28, false, (split, j) -> j / 14 % 3 == 0 && j % 14 == j / 14 % 14
            ? 1 : 0, 14));
    Manifest m = prepare(spark, "dataset.source=medmnist", "dataset.path=" + path("chest.npz"),
        "dataset.prepared=" + path("out"), "dataset.medmnist.flavour=chest");
    assertEquals(Map.of("0", 5L, "1", 5L), m.counts().get(Columns.TRAIN));
    assertEquals(1, m.channels());
    for (Row r : rows(spark, path("out"))) {
      String id = r.getAs(Columns.ID);
      int i = Integer.parseInt(id.substring(id.indexOf('[') + 1, id.indexOf(']')));
      assertEquals(i % 3 == 0 ? 1 : 0, (int) r.getAs(Columns.LABEL), id);
    }
  }

  @Test
  void fracatlasSplitsStratifiedAndLabelsFromTheCsv(SparkSession spark) throws Exception {
    SourceFiles.fracatlas(new Path(path("frac")), LOCAL, 12, 40, 16);
    Manifest m = prepare(spark, "dataset.source=fracatlas", "dataset.path=" + path("frac"),
        "dataset.prepared=" + path("out"), "dataset.fracatlas.train-fraction=0.5",
        "dataset.fracatlas.val-fraction=0.25", "dataset.fracatlas.test-fraction=0.25");
    // fractured 12 -> 6/3/3, non-fractured 28 -> 14/7/7; train m = 6 -> 3 and 3
    assertEquals(Map.of("0", 3L, "1", 3L), m.counts().get(Columns.TRAIN));
    assertEquals(Map.of("0", 3L, "1", 3L), m.counts().get(Columns.VAL));
    assertEquals(Map.of("0", 3L, "1", 3L), m.counts().get(Columns.TEST));
    for (Row r : rows(spark, path("out"))) {
      String id = r.getAs(Columns.ID);
      int k = Integer.parseInt(id.substring(id.indexOf("IMG") + 3, id.indexOf(".jpg")));
      assertEquals(k < 12 ? 1 : 0, (int) r.getAs(Columns.LABEL));
      assertArrayEquals(SourceFiles.pixels(k, 16, 16, 1),
          Images.decode(r.getAs(Columns.IMAGE)).pixels());
    }
  }

  @Test
  void imageFolderLabelsBySortedFolderAndHoldsOutValidation(SparkSession spark)
      throws Exception {
    SourceFiles.imageFolder(new Path(path("folder")), LOCAL, new String[] {"train", "test"},
        new String[] {"benign", "malignant"}, new int[][] {{8, 20}, {5, 6}}, 10);
    Manifest m = prepare(spark, "dataset.source=imagefolder", "dataset.path=" + path("folder"),
        "dataset.prepared=" + path("out"), "dataset.val-fraction=0.25",
        "dataset.ratios=[0.5,0.5]");
    // hold-out 2 and 5 -> pools 6 and 15, m = 6
    assertEquals(Map.of("0", 3L, "1", 3L), m.counts().get(Columns.TRAIN));
    assertEquals(Map.of("0", 2L, "1", 2L), m.counts().get(Columns.VAL));
    assertEquals(Map.of("0", 5L, "1", 5L), m.counts().get(Columns.TEST));
    assertEquals(List.of("benign", "malignant"), m.classNames());
    for (Row r : rows(spark, path("out"))) {
      String[] parts = ((String) r.getAs(Columns.ID)).split("/");
      int s = parts[0].equals("test") ? 1 : 0;
      int c = parts[1].equals("malignant") ? 1 : 0;
      int k = Integer.parseInt(parts[2].replace(".png", ""));
      assertEquals(c, (int) r.getAs(Columns.LABEL));
      assertArrayEquals(SourceFiles.pixels(s * 10_000L + c * 1000L + k, 10, 10, 3),
          Images.decode(r.getAs(Columns.IMAGE)).pixels());
    }
  }

  @Test
  void syntheticUpsampleRepeatsMinorityAndRecordsSubtypes(SparkSession spark) throws Exception {
    String[] settings = {"dataset.source=synthetic", "dataset.prepared=" + path("out"),
        "dataset.synthetic.train-per-class=40", "dataset.synthetic.val-per-class=6",
        "dataset.synthetic.test-per-class=0", "dataset.synthetic.size=16",
        "dataset.synthetic.subtypes=[2,4]", "dataset.ratios=[0.25,0.75]",
        "dataset.balance=upsample", "prepare.overwrite=true"};
    Manifest m = prepare(spark, settings);
    // ratio step: 10 and 30; upsample: total 40 -> 20 each, the minority 2 copies of 10
    assertEquals(Map.of("0", 20L, "1", 20L), m.counts().get(Columns.TRAIN));
    assertEquals(0, m.count(Columns.TEST));
    PreparedDataset ds = PreparedDataset.open(path("out"), spark);
    assertEquals(0, ds.split(Columns.TEST).count());
    List<Row> rows = rows(spark, path("out"));
    assertEquals(10, rows.stream().filter(r -> ((String) r.getAs(Columns.ID)).endsWith("~1"))
        .count());
    for (Row r : rows) {
      int subtype = r.getAs(Columns.SUBTYPE);
      assertTrue(subtype >= 0 && subtype < ((int) r.getAs(Columns.LABEL) == 0 ? 2 : 4));
    }
    List<String> first = PrepareFixture.ids(spark, path("out"), Columns.TRAIN);
    prepare(spark, settings);
    assertEquals(first, PrepareFixture.ids(spark, path("out"), Columns.TRAIN), "same seed");
    assertEquals(3, m.mean().length);
  }
}
