package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class CheckpointRetentionTest {
  private static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);

  @Test
  void keepsTheNewestKeepLast() {
    assertEquals(List.of(1, 2, 3), new CheckpointRetention(2, 0).prunable(FIVE));
    assertEquals(List.of(), new CheckpointRetention(5, 0).prunable(FIVE));
    assertEquals(List.of(), new CheckpointRetention(9, 0).prunable(FIVE));
  }

  @Test
  void keepsEveryNthEpochBesides() {
    assertEquals(List.of(1, 3), new CheckpointRetention(2, 2).prunable(FIVE));
    assertEquals(List.of(1, 2, 4), new CheckpointRetention(1, 3).prunable(FIVE));
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19),
        new CheckpointRetention(1, 10).prunable(
            java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList()));
  }

  @Test
  void neverPrunesTheNewestWhateverTheOrderOrGaps() {
    // keep-every would not keep epoch 7, keep-last = 1 keeps it as the newest
    assertEquals(List.of(2, 4), new CheckpointRetention(1, 3).prunable(List.of(7, 2, 4, 7, 6)));
    assertEquals(List.of(), new CheckpointRetention(1, 0).prunable(List.of(12)));
    assertEquals(List.of(), new CheckpointRetention(1, 0).prunable(List.of()));
  }

  @Test
  void readsTheDefaultsFromReferenceConf() {
    CheckpointRetention r = TrainConfig.from(ConfigLoader.load(List.of(), List.of()))
        .checkpoints();
    assertEquals(new CheckpointRetention(2, 0), r);
    TrainConfig t = TrainConfig.from(ConfigLoader.load(List.of(), List.of(
        "train.checkpoints.keep-last=3", "train.checkpoints.keep-every=10")));
    assertEquals(new CheckpointRetention(3, 10), t.checkpoints());
  }

  @Test
  void rejectsKeepingNoCheckpointOrANegativeInterval() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> TrainConfig.from(
        ConfigLoader.load(List.of(), List.of("train.checkpoints.keep-last=0",
            "train.checkpoints.keep-every=-1"))));
    assertTrue(e.getMessage().contains("train.checkpoints.keep-last"), e.getMessage());
    assertTrue(e.getMessage().contains("train.checkpoints.keep-every"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CheckpointRetention(0, 0));
  }
}
