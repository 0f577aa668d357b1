package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class AugmentConfigTest {

  private static AugmentConfig load(String... overrides) {
    return AugmentConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  @Test
  void defaultsAreTheSimclrRecipe() {
    AugmentConfig c = load();
    assertEquals(new AugmentConfig(AugmentConfig.Recipe.SIMCLR, 0, 0.2, 1, 0.75, 4.0 / 3, 0.5,
        0.4, 0.4, 0.4, 0.1, 0.8, 0.2, 1.15), c);
  }

  @Test
  void medicalGrayRecipeReadsItsOwnSection() {
    AugmentConfig c = load("augment.recipe=medical-gray", "augment.simclr.hue=0.3");
    assertEquals(new AugmentConfig(AugmentConfig.Recipe.MEDICAL_GRAY, 0, 0.25, 1, 0.75,
        4.0 / 3, 0.5, 0.15, 0.15, 0, 0, 0.8, 0, 1.15), c);
  }

  @Test
  void explicitKeysInTheChosenSectionOverrideTheRecipeDefaults() {
    AugmentConfig c = load("augment.simclr.crop-scale=[0.08, 1]", "augment.simclr.hue=0.05",
        "augment.size=64");
    assertEquals(0.08, c.cropScaleMin());
    assertEquals(0.05, c.hue());
    assertEquals(64, c.size());
  }

  @Test
  void recipeNoneHasNeutralParameters() {
    AugmentConfig c = load("augment.recipe=none");
    assertEquals(0, c.flipProbability());
    assertEquals(0, c.jitterProbability());
    assertEquals(1, c.cropScaleMin());
  }

  @Test
  void reportsEveryBadValueWithItsKey() {
    var e = assertThrows(ConfigProblems.class, () -> load("augment.simclr.crop-scale=[0.5, 0.2]",
        "augment.simclr.hue=0.7", "augment.simclr.flip-probability=1.5"));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("augment.simclr.crop-scale"), e.getMessage());
    assertTrue(e.getMessage().contains("augment.simclr.hue = 0.7"), e.getMessage());
    assertTrue(e.getMessage().contains("flip-probability"), e.getMessage());
  }

  @Test
  void cropRangeMustBeAPair() {
    var e = assertThrows(ConfigProblems.class, () -> load("augment.simclr.crop-ratio=[1]"));
    assertTrue(e.getMessage().contains("list of two numbers"), e.getMessage());
  }

  @Test
  void unknownRecipeSuggestsTheNearest() {
    var e = assertThrows(ConfigProblems.class, () -> load("augment.recipe=simclrr"));
    assertTrue(e.getMessage().contains("did you mean simclr"), e.getMessage());
  }

  @Test
  void withSizeResolvesTheDatasetSizeAndRejectsZero() {
    AugmentConfig c = load();
    assertEquals(28, c.sizeFor(28));
    assertEquals(28, c.withSize(28).size());
    var e = assertThrows(IllegalArgumentException.class, () -> c.withSize(0));
    assertTrue(e.getMessage().contains("size = 0"), e.getMessage());
  }

  @Test
  void constructorRejectsAProbabilityAboveOne() {
    var e = assertThrows(IllegalArgumentException.class, () -> new AugmentConfig(
        AugmentConfig.Recipe.SIMCLR, 32, 0.2, 1, 0.75, 4.0 / 3, 0.5, 0.4, 0.4, 0.4, 0.1, 1.2,
        0.2, 1.15));
    assertTrue(e.getMessage().contains("jitter-probability = 1.2"), e.getMessage());
  }
}
