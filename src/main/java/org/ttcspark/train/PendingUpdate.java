package org.ttcspark.train;

/**
 * The update of a driver objective's own state (its heads' SGD step, PaCo's key queue) that
 * one iteration computed, held until that iteration's update is decided. With fp16 loss
 * scaling the decision comes only after the slices' backward, well after the objective's loss
 * step, and a skipped update must leave every head exactly as it was (as PyTorch's
 * {@code GradScaler} skips the whole optimiser step), so nothing is written before it.
 * Not thread-safe.
 */
final class PendingUpdate {
  private Runnable update;

  /** Holds {@code u} until {@link #finish}; the previous one must have been finished. */
  void hold(Runnable u) {
    checkNone();
    update = u;
  }

  /** Runs the held update when {@code apply}, else drops it; either way nothing is held. */
  void finish(boolean apply) {
    if (update == null) {
      throw new IllegalStateException("no head update is pending: finishStep must follow "
          + "step once per iteration");
    }
    Runnable u = update;
    update = null;
    if (apply) {
      u.run();
    }
  }

  /** Fails when an update is held (a step whose update was neither applied nor dropped). */
  void checkNone() {
    if (update != null) {
      throw new IllegalStateException("the previous iteration's head update was neither "
          + "applied nor dropped: call finishStep after every step");
    }
  }
}
