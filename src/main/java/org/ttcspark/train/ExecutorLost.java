package org.ttcspark.train;

/**
 * Thrown when an executor is lost while a model trains: BigDL's all-reduce keeps one slice of
 * the parameters (and of the SGD state) on every executor, so the run stops at once, naming the
 * executor and the checkpoint to resume from, instead of letting Spark recompute the lost
 * slice from the weights at the start of the epoch.
 */
public final class ExecutorLost extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param executor the lost executor's id and host, e.g. {@code "1 on 10.0.0.5"}
   * @param reason why Spark removed it (e.g. {@code "worker lost"})
   * @param epoch the epoch that was training (1-based)
   * @param lastCheckpoint the newest complete checkpoint folder, or null if none
   * @param cause what the optimiser threw (the cancelled job), or null
   */
  public ExecutorLost(String executor, String reason, int epoch, String lastCheckpoint,
      Throwable cause) {
    super("executor " + executor + " was lost during epoch " + epoch + " (" + reason + "); the "
        + "all-reduce keeps a slice of the parameters on every executor, so training stopped. "
        + (lastCheckpoint == null
            ? "No epoch had finished: start the run again without --resume."
            : "Last complete checkpoint: " + lastCheckpoint + ". Run the same command with "
                + "--resume to continue from it."), cause);
  }
}
