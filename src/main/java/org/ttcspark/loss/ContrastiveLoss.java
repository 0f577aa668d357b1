package org.ttcspark.loss;

import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * A contrastive loss over a {@link ContrastiveBatch}: the mean over all {@code V*B} anchors of
 * {@code -(tau/tau_b) * mean_{p in P(a)} log p_ap} (README, "Losses"), with its analytic gradient.
 * Implementations are immutable and thread-safe; their random choices (SupMin's majority subset,
 * KCL's positives) come only from the {@code drawSeed} of each call.
 */
public interface ContrastiveLoss extends Serializable {
  /** The method name as in configuration ({@code supcon}, {@code sbcl}, ...). */
  String method();

  /**
   * The loss and {@code dLoss/dz} ({@code [V*B, D]}, view-major like the input).
   *
   * @param drawSeed seed of this call's random choices; ignored by deterministic losses
   * @throws IllegalArgumentException if the batch lacks something the method needs
   */
  LossResult compute(ContrastiveBatch batch, long drawSeed);

  /**
   * The loss this method would give the batch if all its rows sat at one point (see
   * {@link Collapse} for the derivation): the value a collapsed encoder's loss pins at, e.g.
   * {@code (tau/tau_b) log(2B - 1)} for NT-Xent with two views. Uses the batch's shape, labels
   * and cluster ids, and for prototype terms its collapse point ({@link Collapse#point}); not
   * its random draws, which cannot change a collapsed batch's loss.
   *
   * @return the value, or empty when the method has none (a single view, or no such form)
   */
  default OptionalDouble collapsedLoss(ContrastiveBatch batch) {
    return OptionalDouble.empty();
  }

  /** Checks a temperature-like parameter. @throws IllegalArgumentException naming it */
  static double positive(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " is " + value
          + "; it must be a finite number greater than 0");
    }
    return value;
  }

  /** Checks a parameter in {@code [min, max]}. @throws IllegalArgumentException naming it */
  static double within(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(name + " is " + value + "; it must be between " + min
          + " and " + max);
    }
    return value;
  }
}
