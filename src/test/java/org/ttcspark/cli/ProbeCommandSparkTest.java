package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.embed.EmbeddingRecord;
import org.ttcspark.embed.EmbeddingsWriter;
import org.ttcspark.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class ProbeCommandSparkTest {

  @Test
  void probeSeparatesShiftedClassesAndReportsEveryScore(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    String dir = tmp.resolve("emb").toString();
    EmbeddingsWriter.write(spark, synthetic(), dir);
    Path out = tmp.resolve("probe.json");
    MainTest.Result r = MainTest.run("probe", dir, "--out", out.toString(),
        "probe.class-weights=balanced", "probe.reg-params=[0.0, 0.1]");
    assertEquals(Main.OK, r.code(), r.err());
    assertTrue(r.out().contains("balanced accuracy"), r.out());
    JsonNode json = new ObjectMapper().readTree(out.toFile());
    assertEquals("balanced", json.path("class_weights").asText());
    assertEquals(2, json.path("validation_scores").size());
    JsonNode test = json.path("test");
    assertTrue(test.path("accuracy").asDouble() > 0.8, test.toString());
    assertTrue(test.path("auroc").asDouble() > 0.9, test.toString());
    assertEquals(1, test.path("minority_class").asInt());
    long total = 0;
    for (JsonNode row : test.path("confusion").path("counts")) {
      total += row.get(0).asLong() + row.get(1).asLong();
    }
    assertEquals(100, total, "test split: 50 + 50 rows, view 0 only");
    assertEquals(200, json.path("train_counts").path("0").asLong());
  }

  @Test
  void trainSplitWithOneClassIsAClearError(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    List<EmbeddingRecord> rows = new ArrayList<>();
    for (EmbeddingRecord e : synthetic()) {
      if (!(e.split().equals("train") && e.label() == 1)) {
        rows.add(e);
      }
    }
    String dir = tmp.resolve("emb").toString();
    EmbeddingsWriter.write(spark, rows, dir);
    MainTest.Result r = MainTest.run("probe", dir, "--out", tmp.resolve("p.json").toString());
    assertEquals(Main.FAILED, r.code());
    assertTrue(r.err().contains("split 'train' has 200 rows of class 0 and 0 of class 1"),
        r.err());
  }

  @Test
  void issue14_probeOnAFolderThatIsNotEmbeddingsSaysSoInOneLine(SparkSession spark,
      @TempDir Path tmp) throws Exception {
    Path run = java.nio.file.Files.createDirectories(tmp.resolve("run"));
    java.nio.file.Files.writeString(run.resolve("config.conf"), "run.seed = 1\n");
    java.nio.file.Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\":1}\n");
    EmbeddingsWriter.write(spark, synthetic(), run.resolve("embeddings").toString());
    MainTest.Result r = MainTest.run("probe", run.toString(), "--out",
        tmp.resolve("p.json").toString());
    assertEquals(Main.FAILED, r.code());
    assertTrue(r.err().contains(run + " is not an embeddings folder")
        && r.err().contains("its embeddings are in"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());

    Path notes = java.nio.file.Files.createDirectories(tmp.resolve("notes"));
    java.nio.file.Files.writeString(notes.resolve("a.json"), "{}");
    r = MainTest.run("probe", notes.toString(), "--out", tmp.resolve("p.json").toString());
    assertEquals(Main.FAILED, r.code());
    assertTrue(r.err().contains(notes + " is not an embeddings folder"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  /** 8-d features, class 1 shifted along the first axis; train 200:20, val and test 50:50. */
  static List<EmbeddingRecord> synthetic() {
    Random random = new Random(7);
    List<EmbeddingRecord> out = new ArrayList<>();
    int[][] counts = {{200, 20}, {50, 50}, {50, 50}};
    String[] splits = {"train", "val", "test"};
    for (int s = 0; s < 3; s++) {
      for (int label = 0; label < 2; label++) {
        for (int i = 0; i < counts[s][label]; i++) {
          for (int view = 0; view < 2; view++) {
            float[] x = new float[8];
            for (int d = 0; d < 8; d++) {
              x[d] = (float) (random.nextGaussian() + (d == 0 ? 3 * label : 0));
            }
            out.add(new EmbeddingRecord(splits[s] + "-" + label + "-" + i, splits[s], label,
                null, view, x, new float[] {1, 0}));
          }
        }
      }
    }
    return out;
  }
}
