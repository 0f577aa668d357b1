package org.ttcspark.data.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ttcspark.data.spark.PrepareFixture.prepare;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.config.ConfigProblems;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.Manifest;
import org.ttcspark.data.SourceFiles;
import org.ttcspark.data.npy.NpyArray;
import org.ttcspark.testing.SparkTestSession;

/** Bad input: skipped and listed, or one clear error before any work, never half an output. */
@ExtendWith(SparkTestSession.class)
class PrepareBadInputSparkTest extends LocalFolderFixture {

  private void folderWithBadFiles() throws Exception {
    SourceFiles.imageFolder(new Path(path("src")), LOCAL, new String[] {"train", "test"},
        new String[] {"a", "b"}, new int[][] {{10, 10}, {4, 4}}, 8);
    // test/ is balanced at 4 + 4, so the truncated image is always selected
    java.nio.file.Path t = dir.resolve("src/test/a");
    byte[] png = Files.readAllBytes(t.resolve("0.png"));
    Files.write(t.resolve("0.png"), Arrays.copyOf(png, png.length / 2));
    Files.writeString(dir.resolve("src/train/a/notes.txt"), "not an image");
  }

  private String[] folderSettings(String maxBad) {
    return new String[] {"dataset.source=imagefolder", "dataset.path=" + path("src"),
        "dataset.prepared=" + path("out"), "dataset.val-fraction=0",
        "dataset.ratios=[0.5,0.5]", "prepare.max-bad-fraction=" + maxBad};
  }

  @Test
  void corruptAndNonImageFilesAreSkippedAndListed(SparkSession spark) throws Exception {
    folderWithBadFiles();
    Manifest m = prepare(spark, folderSettings("0.2"));
    assertEquals(2, m.badRecords().size(), m.badRecords().toString());
    assertTrue(m.badRecords().stream().anyMatch(b -> b.contains("notes.txt")));
    assertTrue(m.badRecords().stream().anyMatch(b -> b.contains("0.png")));
    assertEquals(Map.of("0", 3L, "1", 4L), m.counts().get(Columns.TEST));
    assertEquals(Map.of("0", 5L, "1", 5L), m.counts().get(Columns.TRAIN));
  }

  @Test
  void issue14_fileNamesThatAreNotValidUtf8AreListedAsBadRecords(SparkSession spark)
      throws Exception {
    SourceFiles.imageFolder(new Path(path("src")), LOCAL, new String[] {"train", "test"},
        new String[] {"a", "b"}, new int[][] {{10, 10}, {4, 4}}, 8);
    // "café.png" in Latin-1: byte 0xE9 alone is not UTF-8 (Java cannot spell such a name)
    Process p = new ProcessBuilder("sh", "-c", "mv 0.png \"$(printf 'caf\\351.png')\"")
        .directory(dir.resolve("src/train/a").toFile()).inheritIO().start();
    assertEquals(0, p.waitFor());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, folderSettings("0.01")));
    assertTrue(e.getMessage().contains("caf"), "counts towards the bad fraction: "
        + e.getMessage());
    Manifest m = prepare(spark, folderSettings("0.2"));
    assertEquals(1, m.badRecords().size(), m.badRecords().toString());
    String bad = m.badRecords().get(0);
    assertTrue(bad.contains("src/train/a/caf") && bad.contains("file name is not valid")
        && bad.contains("rename it"), bad);
  }

  @Test
  void tooManyBadRecordsFailNamingThemAndLeaveNothing(SparkSession spark) throws Exception {
    folderWithBadFiles();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, folderSettings("0.01")));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    assertTrue(e.getMessage().contains("prepare.max-bad-fraction"), e.getMessage());
    try (Stream<java.nio.file.Path> left = Files.list(dir)) {
      assertEquals(java.util.List.of("src"), left.map(p -> p.getFileName().toString())
          .toList(), "no output and no temporary folder");
    }
  }

  @Test
  void existingTargetIsAnErrorUnlessOverwrite(SparkSession spark) throws Exception {
    Files.createDirectories(dir.resolve("out"));
    String[] s = {"dataset.prepared=" + path("out"), "dataset.synthetic.train-per-class=4",
        "dataset.synthetic.val-per-class=0", "dataset.synthetic.test-per-class=0",
        "dataset.synthetic.size=8"};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, s));
    assertTrue(e.getMessage().contains("prepare.overwrite=true"));
    String[] again = Arrays.copyOf(s, s.length + 1);
    again[s.length] = "prepare.overwrite=true";
    assertEquals(4, prepare(spark, again).count(Columns.TRAIN));
    assertTrue(Files.exists(dir.resolve("out").resolve(Columns.MANIFEST)));
  }

  @Test
  void taxonomyPrefixMatchingNothingIsNamed(SparkSession spark) throws Exception {
    SourceFiles.inat21(new Path(path("inat")), LOCAL, new String[] {"Animalia_A_B", "Plantae_C"},
        new int[] {2, 2}, 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, "dataset.source=inat21", "dataset.path=" + path("inat"),
            "dataset.prepared=" + path("out"),
            "dataset.inat21.prefixes=[\"animalia_a\",\"Fungi\"]"));
    assertTrue(e.getMessage().contains("taxonomy prefix Fungi"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void emptyClassFolderIsNamed(SparkSession spark) throws Exception {
    SourceFiles.imageFolder(new Path(path("src")), LOCAL, new String[] {"train", "test"},
        new String[] {"a", "b"}, new int[][] {{3, 3}, {2, 0}}, 8);
    Files.createDirectories(dir.resolve("src/test/b"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, folderSettings("0.01")));
    assertTrue(e.getMessage().contains("test/b holds no"), e.getMessage());
  }

  @Test
  void csvWithoutTheLabelColumnIsNamed(SparkSession spark) throws Exception {
    SourceFiles.fracatlas(new Path(path("frac")), LOCAL, 2, 6, 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, "dataset.source=fracatlas", "dataset.path=" + path("frac"),
            "dataset.prepared=" + path("out"), "dataset.fracatlas.label-column=broken"));
    assertTrue(e.getMessage().contains("needs image_id and broken"), e.getMessage());
  }

  @Test
  void npzProblemsAreNamedBeforeWork(SparkSession spark) throws Exception {
    Map<String, NpyArray> arrays = SourceFiles.medmnist(new int[] {6, 2, 2}, 28, false,
        (s, i) -> i % 2, 1);
    String[] base = {"dataset.source=medmnist", "dataset.prepared=" + path("out")};
    arrays.remove("val_labels");
    SourceFiles.writeNpz(new Path(path("missing.npz")), LOCAL, arrays);
    assertMessage(spark, "lacks val_labels", base, "dataset.path=" + path("missing.npz"));

    Map<String, NpyArray> gray = SourceFiles.medmnist(new int[] {6, 2, 2}, 28, false,
        (s, i) -> i % 2, 1);
    SourceFiles.writeNpz(new Path(path("g.npz")), LOCAL, gray);
    assertMessage(spark, "set dataset.medmnist.size", base, "dataset.path=" + path("g.npz"),
        "dataset.medmnist.size=64");

    SourceFiles.writeNpz(new Path(path("multi.npz")), LOCAL, SourceFiles.medmnist(
        new int[] {6, 2, 2}, 28, false, (s, i) -> i % 3, 1));
    assertMessage(spark, "outside {0, 1}", base, "dataset.path=" + path("multi.npz"));
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void ratiosNotSummingToOneAreAConfigurationProblem() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> DatasetConfig.from(
        PrepareFixture.config("dataset.ratios=[0.1,0.8]")));
    assertTrue(e.getMessage().contains("must sum to 1"), e.getMessage());
  }

  private void assertMessage(SparkSession spark, String expected, String[] base,
      String... more) {
    String[] all = Stream.concat(Arrays.stream(base), Arrays.stream(more))
        .toArray(String[]::new);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, all));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertTrue(new String(e.getMessage().getBytes(StandardCharsets.UTF_8),
        StandardCharsets.UTF_8).length() < 400, e.getMessage());
  }
}
