package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

/** Issue 14, defect 4: what --resume may change and how a change is refused. */
class ResumeCompatibilityTest {
  private static final List<String> RUN = List.of("loss.method=supmin", "model.backbone=resnet18",
      "model.width=8", "train.epochs=2", "dataset.prepared=data/p");

  private static Config with(String... extra) {
    List<String> all = new java.util.ArrayList<>(RUN);
    all.addAll(List.of(extra));
    return ConfigLoader.load(List.of(), all);
  }

  @Test
  void issue14SwitchingTheMethodOrTheModelIsNamedWithOldAndNewValues() {
    List<String> d = ResumeCompatibility.differences(with(),
        with("loss.method=supcon", "model.backbone=resnet50", "train.batch-size=64"), false);
    assertEquals(List.of("loss.method \"supmin\" -> \"supcon\"",
        "model.backbone \"resnet18\" -> \"resnet50\"", "train.batch-size 256 -> 64"), d);
    String line = ResumeCompatibility.refusal("runs/base", d);
    assertTrue(line.startsWith("--resume would change what run runs/base trains: loss.method"),
        line);
    assertTrue(line.contains("or start a new run with another run.name") && !line.contains("\n"),
        line);
  }

  @Test
  void epochsWhereAndHowItRunsMayChange() {
    List<String> d = ResumeCompatibility.differences(with(), with("train.epochs=5",
        "spark.executors=1", "engine.type=mklblas", "engine.core-number=2", "run.dir=elsewhere",
        "train.validation=true", "probe.class-weights=balanced", "dataset.ratios=[0.1,0.9]"),
        false);
    assertEquals(List.of(), d);
    assertNull(ResumeCompatibility.refusal("runs/base", d));
  }

  @Test
  void theDatasetTheSeedAndTheScheduleMayNot() {
    List<String> d = ResumeCompatibility.differences(with(), with("dataset.prepared=data/q",
        "run.seed=7", "train.learning-rate=0.1", "augment.recipe=none"), false);
    assertEquals(4, d.size(), d.toString());
  }

  @Test
  void crossEntropyIgnoresTheContrastiveSettingsButNotAdam() {
    assertEquals(List.of(), ResumeCompatibility.differences(with(),
        with("loss.method=supcon", "train.learning-rate=0.1"), true));
    assertEquals(List.of("train.ce.learning-rate 1.0E-4 -> 0.001"),
        ResumeCompatibility.differences(with(), with("train.ce.learning-rate=0.001"), true));
  }
}
