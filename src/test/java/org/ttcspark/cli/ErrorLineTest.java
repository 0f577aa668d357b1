package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

class ErrorLineTest {
  private static final String STAGE = "Job aborted due to stage failure: Task 0 in stage 3.0 "
      + "failed 1 times, most recent failure: Lost task 0.0 in stage 3.0 (TID 7, localhost, "
      + "executor driver): java.lang.IllegalArgumentException: image a.png has 3 channels but "
      + "the encoder takes 1\n\tat org.ttcspark.X.y(X.java:1)\n\tat org.ttcspark.X.z(X.java:2)\n";

  @Test
  void issue14_jobAbortedShowsTheTasksOwnMessage() {
    var cause = new IllegalArgumentException("image a.png has 3 channels but the encoder takes 1");
    var e = new SparkException("Job aborted.", new SparkException(STAGE, cause));
    assertEquals("image a.png has 3 channels but the encoder takes 1", ErrorLine.of(e));
  }

  @Test
  void issue14_stageFailureWithoutItsCauseIsCutToTheTaskMessage() {
    assertEquals("image a.png has 3 channels but the encoder takes 1",
        ErrorLine.of(new SparkException("Job aborted.", new SparkException(STAGE))));
  }

  @Test
  void ownMessagesStayAndForeignOnesNameTheirType() {
    assertEquals("x.conf: bad", ErrorLine.of(new IllegalStateException("x.conf: bad")));
    assertEquals("ArithmeticException: / by zero",
        ErrorLine.of(new RuntimeException(new ArithmeticException("/ by zero"))));
    assertEquals("disk full", ErrorLine.of(
        new UncheckedIOException(new java.io.IOException("disk full"))));
    assertEquals("NullPointerException", ErrorLine.of(new NullPointerException()));
  }
}
