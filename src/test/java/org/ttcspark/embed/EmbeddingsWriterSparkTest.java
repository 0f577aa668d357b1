package org.ttcspark.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class EmbeddingsWriterSparkTest {

  @Test
  void recordsSurviveARoundTripWithTheDocumentedSchema(SparkSession spark, @TempDir Path tmp)
      throws Exception {
    List<EmbeddingRecord> in = List.of(
        new EmbeddingRecord("a", "test", 1, 3, 0, new float[] {1, 2, 3}, new float[] {0.6f, 0.8f}),
        new EmbeddingRecord("b", "train", 0, null, 1, new float[] {4, 5, 6}, new float[] {1, 0}));
    String dir = tmp.resolve("emb").toString();
    EmbeddingsWriter.write(spark, in, dir);
    List<Row> rows = EmbeddingsReader.read(spark, dir).collectAsList();
    List<EmbeddingRecord> out = rows.stream().map(EmbeddingRecord::of)
        .sorted(Comparator.comparing(EmbeddingRecord::id)).toList();
    assertEquals(2, out.size());
    assertEquals(3, out.get(0).subtype());
    assertNull(out.get(1).subtype());
    assertEquals(1, out.get(1).view());
    assertArrayEquals(new float[] {0.6f, 0.8f}, out.get(0).projection());
    assertArrayEquals(new float[] {4, 5, 6}, out.get(1).feature());
    assertEquals(EmbeddingColumns.SCHEMA.fieldNames().length,
        spark.read().parquet(dir).schema().fields().length);
    try (var siblings = Files.list(tmp)) {
      assertEquals(List.of("emb"), siblings.map(p -> p.getFileName().toString()).toList(),
          "no temporary folder left beside the target");
    }
  }

  @Test
  void aMissingColumnIsNamed(SparkSession spark, @TempDir Path tmp) {
    String dir = tmp.resolve("other").toString();
    spark.range(3).selectExpr("cast(id as string) as id").write().parquet(dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbeddingsReader.read(spark, dir));
    assertTrue(e.getMessage().contains("has no column 'split'"), e.getMessage());
  }
}
