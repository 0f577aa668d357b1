package org.ttcspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class SweepPlanTest {
  static final String TWO_DATASETS =
      "sweep.datasets={ b { dataset.source = synthetic }, a { dataset.source = synthetic } }";

  static Config sweep(String... extra) {
    return sweepOf(TWO_DATASETS, extra);
  }

  /** A sweep over the given datasets (HOCON merges objects, so they are not an override). */
  static Config sweepOf(String datasets, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("run.dir=/tmp/sw", "sweep.name=t",
        datasets, "sweep.ratios=[0.01, 0.5]", "sweep.methods=[supmin, ce]",
        "sweep.seeds=[1, 2, 3]"));
    args.addAll(List.of(extra));
    return ConfigLoader.load(List.of(), args);
  }

  @Test
  void expandsTheCartesianProductInNestingOrderWithDatasetsByName() {
    List<PlannedRun> runs = SweepPlan.expand(sweep());
    assertEquals(2 * 2 * 2 * 3, runs.size());
    assertEquals(List.of("a", 0.01, "supmin", 1L), key(runs.get(0)));
    assertEquals(List.of("a", 0.01, "supmin", 2L), key(runs.get(1)));
    assertEquals(List.of("a", 0.01, "ce", 1L), key(runs.get(3)));
    assertEquals(List.of("b", 0.5, "ce", 3L), key(runs.get(23)));
  }

  @Test
  void issue14_rejectsDatasetNamesThatAreNotSimpleFolderNames() {
    for (String bad : List.of("../../../x", "a/b", ".hidden", "..")) {
      ConfigProblems e = assertThrows(ConfigProblems.class, () -> SweepPlan.expand(
          sweepOf("sweep.datasets={ \"" + bad + "\" { dataset.source = synthetic } }")), bad);
      String m = String.join("\n", e.problems());
      assertTrue(m.contains("sweep.datasets.\"" + bad + "\"") || m.contains("sweep.datasets."
          + bad), m);
      assertTrue(m.contains("Rename the dataset") && m.contains("not starting with '.'"), m);
    }
  }

  @Test
  void issue14_rejectsASweepNameThatLeavesTheRunFolder() {
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> SweepPlan.expand(sweep("sweep.name=..")));
    assertTrue(e.problems().get(0).contains("sweep.name"), e.problems().toString());
  }

  @Test
  void eachRunCarriesItsSeedRatioAndMethod() {
    PlannedRun run = SweepPlan.expand(sweep("sweep.minority-class=1")).get(2);
    assertEquals(3, run.config().getLong("run.seed"));
    assertEquals(List.of(0.99, 0.01), run.config().getDoubleList("dataset.ratios"));
    assertEquals(1, run.config().getInt("loss.minority-class"));
    assertEquals("supmin", run.config().getString("loss.method"));
    assertEquals("pretrain", run.trainCommand());
    assertTrue(run.runFolder().startsWith("/tmp/sw/t/runs/a-r0.01-supmin-s3-"), run.runFolder());
    assertEquals(run.runFolder(),
        run.config().getString("run.dir") + "/" + run.config().getString("run.name"));
  }

  @Test
  void bclAndPacoRunsTrainWithTheGlobalLossScope() {
    List<PlannedRun> runs = SweepPlan.expand(sweep("sweep.methods=[supmin, bcl, paco]"));
    for (PlannedRun run : runs) {
      String method = run.config().getString("loss.method");
      assertEquals(method.equals("supmin") ? "local" : "global",
          run.config().getString("train.loss-scope"), method);
      assertEquals("pretrain", run.trainCommand());
    }
  }

  @Test
  void methodOverridesWinOverSharedOverridesWhichWinOverTheDataset() {
    Config c = sweepOf(
        "sweep.datasets={ a { loss.temperature = 0.1, loss.base-temperature = 0.5 } }",
        "sweep.overrides={ run.work-dir = shared, loss.temperature = 0.2 }",
        "sweep.method-overrides={ ce { loss.temperature = 0.3 } }");
    List<PlannedRun> runs = SweepPlan.expand(c);
    PlannedRun supmin = runs.get(0);
    PlannedRun ce = runs.get(3);
    assertEquals(0.2, supmin.config().getDouble("loss.temperature"));
    assertEquals(0.3, ce.config().getDouble("loss.temperature"));
    assertEquals(0.5, supmin.config().getDouble("loss.base-temperature"));
  }

  @Test
  void hashesFollowResultSettingsOnly() {
    PlannedRun base = SweepPlan.expand(sweep()).get(0);
    PlannedRun elsewhere = SweepPlan.expand(sweep("spark.master=spark://h:7077",
        "run.overwrite=true")).get(0);
    PlannedRun hotter = SweepPlan.expand(sweep("loss.temperature=0.5")).get(0);
    assertEquals(base.hash(), elsewhere.hash(), "where it runs does not matter");
    assertNotEquals(base.hash(), hotter.hash());
    List<PlannedRun> runs = SweepPlan.expand(sweep());
    assertEquals(runs.get(0).datasetFolder(), runs.get(3).datasetFolder(),
        "methods share the prepared dataset of their dataset, ratio and seed");
    assertNotEquals(runs.get(0).datasetFolder(), runs.get(1).datasetFolder());
  }

  @Test
  void aGridNarrowedOnTheCommandLineKeepsTheOtherMethodsSettingsUnusedButRefusesTypos() {
    List<PlannedRun> runs = SweepPlan.expand(sweep("sweep.methods=[supmin]",
        "sweep.method-overrides={ ce { train.epochs = 3 } }"));
    assertTrue(runs.stream().allMatch(r -> r.method().equals("supmin")));
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> SweepPlan.expand(sweep(
        "sweep.method-overrides={ supmim { train.epochs = 3 } }")));
    assertTrue(e.getMessage().contains("'supmim', which is no method"), e.getMessage());
  }

  @Test
  void ceAndTheBaseLossDifferInHashWhenEveryOtherSettingAgrees() {
    // the base config's loss.method is supmin; ce's trial leaves it as it is
    List<PlannedRun> runs = SweepPlan.expand(sweepOf(
        "sweep.datasets={ a { dataset.source = synthetic } }", "sweep.ratios=[0.5]",
        "sweep.seeds=[1]"));
    assertEquals(List.of("supmin", "ce"), runs.stream().map(PlannedRun::method).toList());
    assertNotEquals(runs.get(0).hash(), runs.get(1).hash());
  }

  @Test
  void aTypoInAnyTrialFailsThePlanNamingTheTrial() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> SweepPlan.expand(
        sweep("sweep.method-overrides={ ce { loss.temprature = 0.3 } }")));
    assertTrue(e.getMessage().contains("sweep run a/0.01/ce/1")
        && e.getMessage().contains("did you mean loss.temperature?"), e.getMessage());
  }

  @Test
  void badGridValuesAreReportedTogether() {
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> SweepPlan.expand(sweep("sweep.ratios=[0, 0.5]", "sweep.methods=[supmim]")));
    assertTrue(e.getMessage().contains("strictly between 0 and 1")
        && e.getMessage().contains("unknown method 'supmim'"), e.getMessage());
  }

  private static List<Object> key(PlannedRun r) {
    return List.of(r.dataset(), r.ratio(), r.method(), r.seed());
  }
}
