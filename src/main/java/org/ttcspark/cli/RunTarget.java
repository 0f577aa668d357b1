package org.ttcspark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;

/**
 * The run folder a command that works on a run (embed, probe, metrics, report, prepare) writes
 * its results and its stage record into, so that they land beside the training they belong to
 * and the run's report sees them.
 */
final class RunTarget {
  private RunTarget() {}

  /**
   * {@code run.dir/run.name} when {@code run.name} is set; else the run folder that holds
   * {@code input} (embeddings written by {@code ttc embed} into {@code <run>/embeddings}), when
   * its parent has a training record; else a new {@code <command>-<timestamp>} folder.
   *
   * @param input the folder the command reads, or null
   */
  static Path folder(Invocation inv, String input, Configuration hadoop) {
    RunConfig run = inv.run();
    if (!run.name().isBlank()) {
      return new Path(run.dir(), run.name());
    }
    if (input != null) {
      Path parent = new Path(input).getParent();
      try {
        if (parent != null && parent.getFileSystem(hadoop)
            .exists(new Path(parent, RunFolder.CONFIG))) {
          return parent;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return RunFolder.pathFor(inv.command(), inv.config());
  }

  /** Records {@code stage} of the command in {@code folder} ({@code stages/<stage>/}). */
  static RunFolder record(Invocation inv, String stage, Path folder, Configuration hadoop) {
    try {
      return RunFolder.forStage(stage, inv.command(), inv.config(), folder, hadoop);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
