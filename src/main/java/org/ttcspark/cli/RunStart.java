package org.ttcspark.cli;

import org.ttcspark.platform.RunFolderState;

/**
 * How a training command may use its run folder, decided before Spark starts: a run folder is
 * append-only history, so a training never starts over a run by accident.
 */
enum RunStart {
  /** The folder is new or holds only stage records: write the training record. */
  FRESH,
  /** {@code run.overwrite = true} over a folder that holds a run: delete it, then as FRESH. */
  REPLACE,
  /** {@code --resume}: continue from the newest checkpoint; the training record stays. */
  RESUME;

  /**
   * The decision for {@code ttc <command>} on a folder in {@code state}.
   *
   * @param hasCheckpoint whether the folder holds a complete checkpoint
   * @throws UsageException naming the folder, what it holds and the ways on
   */
  static RunStart decide(String command, RunFolderState state, boolean resume, boolean overwrite,
      boolean hasCheckpoint) {
    String folder = state.path().toString();
    if (resume && overwrite) {
      throw new UsageException("ttc " + command + " --resume continues run " + folder
          + " and run.overwrite=true replaces it; give one of them");
    }
    if (resume) {
      if (hasCheckpoint) {
        return RESUME;
      }
      if (state.holdsRun()) {
        throw new UsageException("--resume: run folder " + folder + " has no complete "
            + "checkpoint yet (the run stopped in its first epoch); start it again with "
            + "run.overwrite=true, or choose a new run.name");
      }
      throw new UsageException("--resume: there is no run to continue in " + folder
          + " (no checkpoint); start it without --resume, or check run.dir and run.name");
    }
    if (!state.holdsRun()) {
      return FRESH;
    }
    if (overwrite) {
      return REPLACE;
    }
    throw new UsageException("run folder " + folder + " already holds a run ("
        + String.join(", ", state.history()) + "); a run folder is never overwritten: add "
        + "--resume to continue it, choose a new run.name, or set run.overwrite=true to replace "
        + "it");
  }
}
