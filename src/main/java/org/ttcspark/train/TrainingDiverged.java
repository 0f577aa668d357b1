package org.ttcspark.train;

/** Thrown when the training loss becomes NaN or infinite: names the iteration and checkpoint. */
public final class TrainingDiverged extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDiverged(long iteration, float loss, String lastCheckpoint) {
    super("training loss became " + loss + " at iteration " + iteration + "; last good "
        + "checkpoint: " + (lastCheckpoint == null ? "none (no epoch finished)" : lastCheckpoint)
        + ". Lower train.learning-rate or check the data, then --resume or start again.");
  }
}
