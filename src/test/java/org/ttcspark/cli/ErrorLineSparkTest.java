package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.SparkTestSession;

/** What Spark really wraps around a task's error, and the line the user then reads. */
@ExtendWith(SparkTestSession.class)
class ErrorLineSparkTest {
  private static final String WHAT = "image a.png has 3 channels but the encoder takes 1; "
      + "embed with the dataset the encoder was trained on";

  @Test
  void issue14_aFailedWriteJobShowsTheTasksMessageNotJobAborted(SparkSession spark,
      @TempDir Path tmp) {
    Exception e = assertThrows(Exception.class, () -> spark.range(4).map(
        (MapFunction<Long, Long>) x -> {
          throw new IllegalArgumentException(WHAT);
        }, Encoders.LONG()).write().parquet(tmp.resolve("out").toString()));
    assertEquals(WHAT, ErrorLine.of(e), "raw: " + e.getMessage());
  }
}
