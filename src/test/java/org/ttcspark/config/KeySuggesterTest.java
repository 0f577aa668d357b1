package org.ttcspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeySuggesterTest {
  private static final List<String> KEYS = List.of("train.batch-size", "train.epochs",
      "loss.temperature", "loss.base-temperature");

  @Test
  void findsTyposSeparatorSlipsAndMissingDashes() {
    assertEquals(Optional.of("train.batch-size"), KeySuggester.nearest("train.batchsize", KEYS));
    assertEquals(Optional.of("train.batch-size"), KeySuggester.nearest("train.batch_size", KEYS));
    assertEquals(Optional.of("loss.temperature"), KeySuggester.nearest("loss.temprature", KEYS));
  }

  @Test
  void suggestsNothingForUnrelatedKeys() {
    assertEquals(Optional.empty(), KeySuggester.nearest("colour.scheme", KEYS));
  }

  @Test
  void distanceTreatsDashAndUnderscoreAlike() {
    assertEquals(0, KeySuggester.distance("a-b", "a_b"));
    assertEquals(3, KeySuggester.distance("kitten", "sitting"));
  }
}
