package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;

/** The method presets load and give the paper's protocol. */
class ExperimentPresetsTest {
  private static Config preset(String name, String... overrides) {
    return ConfigLoader.load(List.of(new File("conf/experiment/" + name + ".conf")),
        List.of(overrides));
  }

  @ParameterizedTest
  @ValueSource(strings = {"supcon", "supmin", "supproto", "simclr", "sbcl", "kcl", "tsc", "bcl",
      "paco"})
  void contrastivePresetGivesThePapersProtocol(String method) {
    Config c = preset(method);
    TrainConfig t = TrainConfig.from(c);
    ModelConfig m = ModelConfig.from(c);
    assertEquals(method, LossConfig.from(c).method().name().toLowerCase());
    assertEquals(Backbone.RESNET50, m.backbone());
    assertEquals(2048, m.featureDim());
    assertEquals(128, m.projectionDim());
    assertEquals(256, t.batchSize());
    assertEquals(100, t.epochs());
    assertEquals(0.0625, t.learningRate(), 1e-12);
    assertEquals(10, t.warmUpEpochs());
    assertEquals(0.9, t.momentum(), 1e-12);
    assertEquals(1e-4, t.weightDecay(), 1e-12);
  }

  @Test
  void crossEntropyPresetUsesAdamAtOneTenThousandth() {
    assertEquals(1e-4, TrainConfig.from(preset("ce")).ceLearningRate(), 1e-12);
  }

  @Test
  void autoStemIsCifarUpTo64PixelsAndImagenetAbove() {
    ModelConfig m = ModelConfig.from(preset("supmin"));
    assertEquals(Stem.CIFAR, m.stemFor(28));
    assertEquals(Stem.CIFAR, m.stemFor(64));
    assertEquals(Stem.IMAGENET, m.stemFor(128));
  }

  @Test
  void rejectsBatchSizeNotDivisibleByMklBlasCores() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> TrainConfig.from(
        preset("supmin", "engine.type=mklblas", "engine.core-number=3", "train.batch-size=256")));
    assertEquals(true, e.getMessage().contains("train.batch-size"), e.getMessage());
  }

  @Test
  void rejectsUnknownBackbone() {
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> ModelConfig.from(preset("supmin", "model.backbone=resnet34")));
    assertEquals(true, e.getMessage().contains("model.backbone"), e.getMessage());
  }
}
