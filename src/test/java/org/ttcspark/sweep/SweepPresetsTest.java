package org.ttcspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

/** Every sweep preset in conf/sweep and the embedded demo expand into valid runs. */
class SweepPresetsTest {
  @Test
  void everySweepPresetPlansWithoutProblems() throws IOException {
    List<Path> presets;
    try (var files = Files.list(Path.of("conf/sweep"))) {
      presets = files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    assertEquals(List.of("fashion-mnist-quick.conf", "fashion-mnist.conf", "fracatlas.conf", "inat21.conf", "medmnist.conf",
        "synthetic.conf"),
        presets.stream().map(p -> p.getFileName().toString()).toList());
    for (Path preset : presets) {
      List<PlannedRun> runs = SweepPlan.expand(ConfigLoader.load(List.of(preset.toFile()),
          List.of("run.dir=/tmp/plan")));
      assertTrue(runs.size() >= 8, preset + " plans " + runs.size());
    }
  }

  @Test
  void theQuickFashionMnistGridKeepsTheRatioOnASmallerTrainSplit() {
    List<PlannedRun> runs = SweepPlan.expand(ConfigLoader.load(
        List.of(Path.of("conf/sweep/fashion-mnist-quick.conf").toFile()), List.of()));
    assertEquals(7 * 2, runs.size());
    for (PlannedRun run : runs) {
      assertEquals(3000, run.config().getInt("dataset.limit.train"));
      assertEquals(List.of(0.95, 0.05), run.config().getDoubleList("dataset.ratios"));
      assertEquals(16, run.config().getInt("model.width"));
    }
  }

  @Test
  void fashionMnistGridFinetunesWithTheCifarStemAndFootwearAsMinority() {
    List<PlannedRun> runs = SweepPlan.expand(ConfigLoader.load(
        List.of(Path.of("conf/sweep/fashion-mnist.conf").toFile()), List.of()));
    assertEquals(3 * 7 * 2, runs.size());
    for (PlannedRun run : runs) {
      assertEquals("fashion-mnist", run.config().getString("dataset.source"));
      assertEquals("cifar", run.config().getString("model.stem"));
      assertEquals("resnet18", run.config().getString("model.backbone"));
      assertEquals(List.of(0, 2, 4, 6),
          run.config().getList("dataset.fashion-mnist.groups").get(0).unwrapped());
    }
    PlannedRun fivePercent = runs.stream().filter(r -> r.config().getDoubleList(
        "dataset.ratios").get(1) == 0.05).findFirst().orElseThrow();
    assertEquals(0.95, fivePercent.config().getDoubleList("dataset.ratios").get(0), 1e-12);
    assertTrue(SweepSpec.from(ConfigLoader.load(List.of(Path.of("conf/sweep/fashion-mnist.conf")
        .toFile()), List.of())).stages().contains(Stage.FINETUNE));
  }

  @Test
  void thePapersInat21GridHas135Runs() {
    List<PlannedRun> runs = SweepPlan.expand(ConfigLoader.load(
        List.of(Path.of("conf/sweep/inat21.conf").toFile()), List.of()));
    assertEquals(3 * 3 * 5 * 3, runs.size());
    PlannedRun ce = runs.stream().filter(r -> r.method().equals("ce")).findFirst().orElseThrow();
    assertEquals("train-ce", ce.trainCommand());
    assertTrue(runs.get(0).config().getStringList("dataset.inat21.prefixes").size() == 2);
  }

  @Test
  void theEmbeddedDemoPlansTwoSeedsPerMethodOnALearnableTask() {
    List<PlannedRun> runs = SweepPlan.expand(ConfigLoader.load(
        com.typesafe.config.ConfigFactory.parseResources(getClass().getClassLoader(),
            "ttc/demo.conf"), List.of(), List.of("run.dir=/tmp/plan")));
    assertEquals(3 * 2, runs.size(), "supcon, supmin, supproto x two seeds: a seed spread");
    assertEquals(List.of("supcon", "supmin", "supproto"),
        runs.stream().map(PlannedRun::method).distinct().toList());
    assertEquals(2, runs.stream().map(PlannedRun::seed).distinct().count());
    assertTrue(runs.get(0).config().getDouble("dataset.synthetic.hue-split") > 0,
        "the label needs a cue the short runs keep");
  }
}
