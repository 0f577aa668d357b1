package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ResumePointTest {
  @Test
  void reasonIsTheInnermostCauseOnOneLine() {
    Exception e = new IllegalStateException("outer", new IOException("While parsing a protocol "
        + "message, the input ended unexpectedly\nin the middle of a field."));
    assertEquals("IOException: While parsing a protocol message, the input ended unexpectedly",
        ResumePoint.reason(e));
    assertEquals("NullPointerException", ResumePoint.reason(new NullPointerException()));
    String longReason = ResumePoint.reason(new RuntimeException("x".repeat(500)));
    assertEquals("RuntimeException: " + "x".repeat(157) + "...", longReason);
  }
}
