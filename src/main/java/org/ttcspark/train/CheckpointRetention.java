package org.ttcspark.train;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.ttcspark.config.ConfigReader;

/**
 * Which per-epoch checkpoints a run keeps ({@code train.checkpoints}): a ResNet-50 checkpoint
 * with its momentum is about 220 MB, so keeping every epoch of a 100-epoch run costs 22 GB.
 * The newest {@code keepLast} complete checkpoints stay (more than one, so that a damaged newest
 * one leaves a previous one to resume from), and with {@code keepEvery > 0} every
 * {@code keepEvery}-th epoch's too, for later evaluation of intermediate models. The newest
 * complete checkpoint is never pruned, whatever the settings.
 *
 * @param keepLast newest complete checkpoints kept, at least 1
 * @param keepEvery also keep the checkpoints of epochs divisible by it; 0 for none
 */
public record CheckpointRetention(int keepLast, int keepEvery) {
  /** @throws IllegalArgumentException if keepLast is below 1 or keepEvery negative */
  public CheckpointRetention {
    if (keepLast < 1 || keepEvery < 0) {
      throw new IllegalArgumentException("checkpoint retention needs keep-last >= 1 and "
          + "keep-every >= 0, not " + keepLast + " and " + keepEvery);
    }
  }

  /** Reads {@code train.checkpoints.keep-last} and {@code keep-every}, collecting problems. */
  static CheckpointRetention read(ConfigReader r) {
    int last = r.intIn("train.checkpoints.keep-last", 1, 1_000_000);
    int every = r.intIn("train.checkpoints.keep-every", 0, 1_000_000);
    return new CheckpointRetention(Math.max(1, last), Math.max(0, every));
  }

  /**
   * The epochs whose checkpoints to delete, given the epochs of the complete checkpoints a run
   * holds (any order; duplicates ignored), in ascending order. Never the newest.
   */
  public List<Integer> prunable(Collection<Integer> completeEpochs) {
    List<Integer> newestFirst = new ArrayList<>(new TreeSet<>(completeEpochs).descendingSet());
    List<Integer> prune = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= keepLast; i--) {
      int epoch = newestFirst.get(i);
      if (keepEvery == 0 || epoch % keepEvery != 0) {
        prune.add(epoch);
      }
    }
    return prune;
  }
}
