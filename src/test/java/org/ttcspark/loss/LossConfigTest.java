package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class LossConfigTest {
  private static LossConfig load(String... overrides) {
    return LossConfig.from(ConfigLoader.load(List.of(), List.of(overrides)));
  }

  @Test
  void referenceDefaultsAreThePapers() {
    LossConfig c = load();
    assertEquals(LossMethod.SUPMIN, c.method());
    assertEquals(0.07, c.temperature());
    assertEquals(0.07, c.baseTemperature());
    assertEquals(0.0, c.ratioSupervisedMajority());
    assertEquals(SbclVariant.RANK, c.sbclVariant());
    assertEquals(0.1, c.sbclTemperature());
    assertEquals(PositiveSelection.RANDOM, c.kclPositiveSelection());
    assertNull(c.fixedClassTemperatures());
  }

  @Test
  void nullRatioMeansUnsetAndGivesSupCon() {
    LossConfig c = load("loss.ratio-supervised-majority=null");
    assertNull(c.ratioSupervisedMajority());
    ContrastiveBatch b = RandomBatches.batch(6, 2, 4, 2, 1);
    assertEquals(SupConLoss.supcon(0.07, 0.07).compute(b, 0).loss(),
        c.create(null, null).compute(b, 0).loss(), 0);
  }

  @Test
  void readsKebabCaseWords() {
    LossConfig c = load("loss.method=tsc", "loss.kcl.positive-selection=first-k",
        "loss.sbcl.variant=ccl", "loss.prototypes=data", "loss.sbcl.class-temperatures=[0.1,0.2]");
    assertEquals(LossMethod.TSC, c.method());
    assertEquals(PositiveSelection.FIRST_K, c.kclPositiveSelection());
    assertEquals(SbclVariant.CCL, c.sbclVariant());
    assertEquals(PrototypeSource.DATA, c.prototypes());
    assertEquals(0.2, c.fixedClassTemperatures()[1]);
  }

  @Test
  void reportsEveryBadValueWithItsKey() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> load("loss.method=supcn",
        "loss.temperature=0", "loss.eps-0=3", "loss.sbcl.class-temperatures=[0.1,0.2,0.3]",
        "loss.kcl.k=0"));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("loss.method") && all.contains("did you mean supcon"), all);
    assertTrue(all.contains("loss.temperature"), all);
    assertTrue(all.contains("loss.eps-0"), all);
    assertTrue(all.contains("loss.sbcl.class-temperatures"), all);
    assertTrue(all.contains("loss.kcl.k"), all);
    assertEquals(5, e.problems().size(), all);
  }
}
