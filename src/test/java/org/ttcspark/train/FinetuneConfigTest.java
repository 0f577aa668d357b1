package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class FinetuneConfigTest {

  @Test
  void defaultsAreTheAuthorsProtocol() {
    FinetuneConfig f = FinetuneConfig.from(ConfigLoader.load(List.of(), List.of()));
    assertEquals(3e-4, f.learningRate());
    assertEquals(1e-4, f.weightDecay());
    assertEquals(FinetuneConfig.Head.LINEAR, f.head());
    assertEquals(false, f.trainable());
    assertEquals("finetune", f.folder());
  }

  @Test
  void reportsEveryBadKeyAtOnce() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> FinetuneConfig.from(
        ConfigLoader.load(List.of(), List.of("finetune.head=deep", "finetune.dropout=1",
            "finetune.folder=../x", "finetune.balance=smote"))));
    for (String key : List.of("finetune.head", "finetune.dropout", "finetune.folder",
        "finetune.balance")) {
      assertTrue(e.getMessage().contains(key), key + " in " + e.getMessage());
    }
  }

  @Test
  void batchMustSplitOverTheModelCopies() {
    FinetuneConfig f = FinetuneConfig.from(ConfigLoader.load(List.of(),
        List.of("finetune.batch-size=10")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.checkAgainstCluster(4, 1));
    assertTrue(e.getMessage().contains("use a multiple of 4, e.g. 8"), e.getMessage());
  }
}
