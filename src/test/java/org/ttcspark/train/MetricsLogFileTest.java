package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsLogFileTest {
  private static final String TWO =
      "{\"iteration\":1,\"loss\":2.5}\n{\"iteration\":2,\"loss\":2.4}\n";

  @Test
  void readsEveryLine() {
    List<JsonNode> rows = MetricsLogFile.parse(TWO, "runs/a/metrics.jsonl");
    assertEquals(2, rows.size());
    assertEquals(2.4, rows.get(1).get("loss").asDouble(), 1e-12);
  }

  @Test
  void issue14_skipsATornLastLine() {
    List<JsonNode> rows = MetricsLogFile.parse(TWO + "{\"iteration\":3,\"lo", "m");
    assertEquals(2, rows.size());
  }

  @Test
  void issue14_namesFileAndLineOfADamagedLineAndTheFix() {
    // what the old appender made of a torn line: the next line glued onto it
    String glued = "{\"iteration\":1,\"loss\":2.5}\n{\"iteration\":2,\"lo{\"iteration\":2,"
        + "\"loss\":2.4}\n{\"iteration\":3,\"loss\":2.3}\n";
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> MetricsLogFile.parse(glued, "runs/a/metrics.jsonl"));
    assertTrue(e.getMessage().startsWith("runs/a/metrics.jsonl:2: not a JSON object"),
        e.getMessage());
    assertTrue(e.getMessage().contains("delete that line"), e.getMessage());
    assertFalse(e.getMessage().contains("Unexpected character"), "no parser jargon");
  }

  @Test
  void issue14_twoObjectsOnOneLineAreDamage() {
    assertThrows(IllegalStateException.class, () -> MetricsLogFile.parse(
        "{\"iteration\":1}{\"iteration\":2}\n{\"iteration\":3}\n", "m"));
  }
}
