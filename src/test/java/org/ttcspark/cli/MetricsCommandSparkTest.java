package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.embed.EmbeddingRecord;
import org.ttcspark.embed.EmbeddingsWriter;
import org.ttcspark.metrics.MetricFixtures;
import org.ttcspark.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class MetricsCommandSparkTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void npyAndParquetOfTheSameEmbeddingsGiveTheSameJson(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    for (MetricFixtures f : MetricFixtures.all()) {
      Path npy = writeNpy(tmp, f);
      Path parquet = writeParquet(spark, tmp, f);
      Path a = tmp.resolve(f.name() + "-npy.json");
      Path b = tmp.resolve(f.name() + "-parquet.json");
      ok(MainTest.run("metrics", "--embeddings", npy.resolve("x.npy").toString(), "--labels",
          npy.resolve("y.npy").toString(), "--views", Integer.toString(f.views()), "--out",
          a.toString(), "run.work-dir=" + tmp, "metrics.block-size=9"));
      ok(MainTest.run("metrics", parquet.toString(), "--out", b.toString(),
          "run.work-dir=" + tmp, "metrics.block-size=9"));
      assertEquals(Files.readString(a), Files.readString(b), f.name());
      JsonNode json = JSON.readTree(a.toFile());
      assertEquals(List.of("n", "views", "k", "saa", "cac", "sad", "cad", "gpu"),
          iterable(json.fieldNames()));
      assertEquals(f.expected().path("saa").path("mean_class1").asDouble(),
          json.path("saa").path("1").asDouble(), 1e-4);
      assertEquals(List.of("0", "1"), iterable(json.path("gpu").fieldNames()));
      var png = ImageIO.read(tmp.resolve(f.name() + "-npy.png").toFile());
      assertEquals(800, png.getWidth());
    }
  }

  @Test
  void oneAndSevenPartitionsWriteTheSameJson(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    MetricFixtures f = MetricFixtures.all().get(0);
    Path parquet = writeParquet(spark, tmp, f);
    List<String> results = new ArrayList<>();
    for (int partitions : new int[] {1, 7}) {
      Path out = tmp.resolve("p" + partitions + ".json");
      ok(MainTest.run("metrics", "--embeddings-dir", parquet.toString(), "--out",
          out.toString(), "run.work-dir=" + tmp, "metrics.partitions=" + partitions,
          "metrics.block-size=4", "metrics.plot.enabled=false"));
      results.add(Files.readString(out));
    }
    assertEquals(results.get(0), results.get(1));
  }

  @Test
  void badNpyInputsFailWithOneClearMessageEach(@TempDir Path tmp) throws Exception {
    MetricFixtures f = MetricFixtures.all().get(0);
    Path dir = writeNpy(tmp, f);
    Path x = dir.resolve("x.npy");
    Path y = dir.resolve("y.npy");
    int n = f.embeddings().length;
    int dim = f.embeddings()[0].length;

    Path ints = tmp.resolve("ints.npy");
    write(ints, o -> Npy.writeLongs(o, new long[n * dim], n, dim));
    assertFails(tmp, "ints.npy holds <i8; embeddings must be float32 or float64", ints, y, 2);

    Path rank3 = tmp.resolve("rank3.npy");
    write(rank3, o -> Npy.write(o, new float[n * dim], 2, n / 2, dim));
    assertFails(tmp, "rank3.npy has shape [2, " + n / 2 + ", " + dim + "]; embeddings must be "
        + "2-D", rank3, y, 2);

    Path big = tmp.resolve("big.npy");
    byte[] bytes = Files.readAllBytes(x);
    String header = new String(bytes, 0, 128, StandardCharsets.ISO_8859_1);
    int at = header.indexOf("<f4");
    bytes[at] = '>';
    Files.write(big, bytes);
    assertFails(tmp, "big.npy has dtype '>f4': it is big-endian", big, y, 2);

    Path fewer = tmp.resolve("fewer.npy");
    write(fewer, o -> Npy.writeLongs(o, new long[n - 1], n - 1));
    assertFails(tmp, "fewer.npy holds " + (n - 1) + " labels but", x, fewer, 2);

    assertFails(tmp, n + " embeddings cannot be 3 views of the same samples", x,
        y, 3);

    float[] flat = flat(f);
    flat[3 * dim + 1] = Float.NaN;
    Path nan = tmp.resolve("nan.npy");
    write(nan, o -> Npy.write(o, flat, n, dim));
    assertFails(tmp, "nan.npy: row 3 contains NaN", nan, y, 2);

    float[] zero = flat(f);
    java.util.Arrays.fill(zero, 7 * dim, 8 * dim, 0f);
    Path zeros = tmp.resolve("zero.npy");
    write(zeros, o -> Npy.write(o, zero, n, dim));
    assertFails(tmp, "zero.npy: row 7 is all zeros", zeros, y, 2);
  }


  @Test
  void parquetWithARepeatedViewIsRejectedNamingTheRule(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    List<EmbeddingRecord> rows = List.of(
        new EmbeddingRecord("a", "test", 0, null, 0, new float[] {1}, new float[] {1, 0}),
        new EmbeddingRecord("a", "test", 0, null, 0, new float[] {1}, new float[] {0, 1}),
        new EmbeddingRecord("b", "test", 1, null, 1, new float[] {1}, new float[] {1, 1}),
        new EmbeddingRecord("b", "test", 1, null, 1, new float[] {1}, new float[] {1, 2}));
    String dir = tmp.resolve("emb").toString();
    EmbeddingsWriter.write(spark, rows, dir);
    MainTest.Result r = MainTest.run("metrics", dir, "--out", tmp.resolve("m.json").toString(),
        "run.work-dir=" + tmp);
    assertEquals(Main.FAILED, r.code());
    assertTrue(r.err().contains("every id needs exactly one row for each view 0..V-1"), r.err());
  }

  @Test
  void issue14_labelsThatDifferBetweenTheViewsOfASampleAreRejectedNamingIt(SparkSession spark,
      @TempDir Path tmp) throws Exception {
    List<EmbeddingRecord> rows = List.of(
        new EmbeddingRecord("a", "test", 0, null, 0, new float[] {1}, new float[] {1, 0}),
        new EmbeddingRecord("a", "test", 0, null, 1, new float[] {1}, new float[] {0, 1}),
        new EmbeddingRecord("b", "test", 0, null, 0, new float[] {1}, new float[] {1, 1}),
        new EmbeddingRecord("b", "test", 1, null, 1, new float[] {1}, new float[] {1, 2}));
    String dir = tmp.resolve("emb").toString();
    EmbeddingsWriter.write(spark, rows, dir);
    MainTest.Result r = MainTest.run("metrics", dir, "--out", tmp.resolve("m.json").toString(),
        "run.work-dir=" + tmp);
    assertEquals(Main.FAILED, r.code());
    assertTrue(r.err().contains("sample b has different labels in its views"), r.err());

    MetricFixtures f = MetricFixtures.all().get(0);
    Path npy = writeNpy(tmp, f);
    int n = f.embeddings().length;
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = f.labels()[i];
    }
    labels[n / 2 + 1] = 1 - labels[1]; // sample 1, view 1 of 2
    Path y = tmp.resolve("mixed.npy");
    write(y, o -> Npy.writeLongs(o, labels, n));
    assertFails(tmp, "mixed.npy: sample 1 has label " + labels[1] + " in view 0 but "
        + labels[n / 2 + 1] + " in view 1", npy.resolve("x.npy"), y, 2);
  }

  /**
   * The side-by-side table with a stand-in for the authors' checkout: a metrics.py with their
   * function names that returns fixed numbers, so the test needs neither their code nor time.
   */
  @Test
  void referenceIsRunOnTheSameEmbeddingsAndPrintedSideBySide(@TempDir Path tmp)
      throws Exception {
    java.nio.file.Path python = java.nio.file.Paths.get("/usr/bin/python3");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(python),
        "needs /usr/bin/python3 with numpy and scikit-learn");
    Path checkout = java.nio.file.Files.createDirectories(tmp.resolve("checkout/metrics"));
    java.nio.file.Files.writeString(checkout.resolve("metrics.py"), String.join("\n",
        "import numpy as np",
        "def calculate_sample_alignment_distance(sim, n, labels): return [0.5], [0.25]",
        "def calculate_class_alignment_distance(sim, x, labels): return [1.0], [2.0]",
        "def calculate_sample_alignment_accuracy(sim, n, l, a): return 99.0, float(sim.shape[0])",
        "def calculate_class_alignment_consistency(sim, x, labels): return [90.0], [10.0]",
        "def calculate_gaussian_potential_uniformity(x, labels): return 0.1, 0.2", ""));
    MainTest.Result r = MainTest.run("metrics", "--bench", "40", "--reference",
        checkout.getParent().toString(), "run.work-dir=" + tmp);
    assertEquals(Main.OK, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("side by side, N=40"), r.out());
    // the stand-in reports the row count it was given as class 1's SAA: the same N rows
    assertTrue(r.out().matches("(?s).*SAA %\\s+\\S+\\s+\\S+\\s+99\\.0000\\s+40\\.0000.*"),
        r.out());
    try (var left = java.nio.file.Files.list(tmp)) {
      assertTrue(left.noneMatch(f -> f.getFileName().toString().startsWith("metrics-")),
          "scratch files are deleted");
    }
  }

  private static void assertFails(Path tmp, String message, Path x, Path y, int views) {
    MainTest.Result r = MainTest.run("metrics", "--embeddings", x.toString(), "--labels",
        y.toString(), "--views", Integer.toString(views), "--out",
        tmp.resolve("bad.json").toString(), "run.work-dir=" + tmp);
    assertEquals(Main.FAILED, r.code(), r.err());
    assertTrue(r.err().contains(message), r.err());
    assertTrue(!Files.exists(tmp.resolve("bad.json")), "nothing written on failure");
  }

  private static void ok(MainTest.Result r) {
    assertEquals(Main.OK, r.code(), r.err() + r.out());
  }

  static Path writeNpy(Path tmp, MetricFixtures f) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(f.name() + "-npy"));
    int n = f.embeddings().length;
    write(dir.resolve("x.npy"), o -> Npy.write(o, flat(f), n, f.embeddings()[0].length));
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = f.labels()[i];
    }
    write(dir.resolve("y.npy"), o -> Npy.writeLongs(o, labels, n));
    return dir;
  }

  /** The fixture as stored embeddings: id s000.., view-major rows back to (id, view). */
  static Path writeParquet(SparkSession spark, Path tmp, MetricFixtures f) throws IOException {
    int n = f.embeddings().length / f.views();
    List<EmbeddingRecord> records = new ArrayList<>();
    for (int r = 0; r < f.embeddings().length; r++) {
      float[] e = f.embeddings()[r];
      records.add(new EmbeddingRecord(String.format("s%04d", r % n), "test", f.labels()[r], null,
          r / n, new float[] {1, 2}, e));
      records.add(new EmbeddingRecord(String.format("t%04d", r % n), "train", 1 - f.labels()[r],
          null, r / n, new float[] {1, 2}, new float[e.length]));
    }
    String folder = tmp.resolve(f.name() + "-parquet").toString();
    EmbeddingsWriter.write(spark, records, folder);
    return Path.of(folder);
  }

  private static float[] flat(MetricFixtures f) {
    int dim = f.embeddings()[0].length;
    float[] flat = new float[f.embeddings().length * dim];
    for (int i = 0; i < f.embeddings().length; i++) {
      System.arraycopy(f.embeddings()[i], 0, flat, i * dim, dim);
    }
    return flat;
  }

  private static void write(Path file, IoBody body) throws IOException {
    try (OutputStream o = Files.newOutputStream(file)) {
      body.write(o);
    }
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private interface IoBody {
    void write(OutputStream o) throws IOException;
  }
}
