package org.ttcspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  private enum Selection { RANDOM, FIRST_K }

  private static final Config C = ConfigFactory.parseString(
      "a = 5, b = 0.5, mode = fisrt-k, big = 9000, name = x, sel = first-k");

  @Test
  void collectsEveryProblemWithKeyValueAndRange() {
    ConfigReader r = new ConfigReader(C);
    assertEquals(5, r.intIn("a", 0, 10));
    r.intIn("big", 0, 100);
    r.doubleIn("b", 0.6, 1.0);
    r.enumOf("mode", Selection.class);
    ConfigProblems e = assertThrows(ConfigProblems.class, r::done);
    assertEquals(3, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).contains("key big = 9000") && e.problems().get(0)
        .contains("between 0 and 100"), e.problems().get(0));
    assertTrue(e.problems().get(2).contains("must be one of random, first-k")
        && e.problems().get(2).contains("did you mean first-k?"), e.problems().get(2));
  }

  @Test
  void readsEnumsInKebabCase() {
    ConfigReader r = new ConfigReader(C);
    assertEquals(Selection.FIRST_K, r.enumOf("sel", Selection.class));
    r.done();
  }

  @Test
  void crossFieldRulesAreReportedLikeOthers() {
    ConfigReader r = new ConfigReader(C);
    r.require(false, "a", "must be even when b < 1");
    ConfigProblems e = assertThrows(ConfigProblems.class, r::done);
    assertTrue(e.getMessage().startsWith("key a = 5 (set in"), e.getMessage());
  }
}
