package org.ttcspark.train;

import java.util.List;
import java.util.Map;

/**
 * A training objective that owns parameters of its own on the driver, next to the encoder the
 * slices train (README, "BCL and PaCo"): BCL's classifier and class-centre head, PaCo's
 * classifier and key queue. With {@code train.loss-scope = global} the whole batch reaches the
 * driver once per iteration, so these small heads are trained there, in plain Java, with the
 * encoder's learning rate; the slices only see the gradient of their rows.
 *
 * <p>The slices' rows are the encoder's projection followed by the backbone feature
 * ({@link org.ttcspark.model.bigdl.Encoders#withFeatures}). Not thread-safe; called once per
 * iteration, in order.
 */
public interface DriverObjective {
  /** Views per sample the slices must draw. */
  int views();

  /**
   * The momentum of a key encoder on the slices for view 1 (PaCo), or NaN for none: view 1 is
   * then encoded by a momentum copy of the model and gets no gradient.
   */
  default double keyMomentum() {
    return Double.NaN;
  }

  /**
   * The loss of one iteration and the gradient of every slice's rows; the SGD step of the
   * driver's own parameters (and PaCo's enqueueing of the batch's keys) is computed but held
   * until {@link #finishStep}, because whether the iteration's update is applied is known only
   * after the slices' backward (fp16 loss scaling skips an update whose gradient is not
   * finite). Until then the objective's state is untouched.
   *
   * @param slices the forward results, in slice order
   * @param learningRate this iteration's learning rate (the encoder's)
   * @return the loss, per-slice gradients (same layout as the slices' rows) and batch stats
   * @throws IllegalStateException when the previous step was not finished
   */
  SliceLoss.Result step(List<SliceLoss.Slice> slices, double learningRate);

  /**
   * Ends the iteration {@link #step} began: with {@code apply} its held update is applied,
   * otherwise it is dropped and every head, velocity and queue entry stays bit-identical (the
   * iteration then changes nothing on the driver but the loss scale).
   *
   * @throws IllegalStateException when no step is pending
   */
  void finishStep(boolean apply);

  /**
   * The arrays a resumed run needs to continue exactly: the driver's parameters, their SGD
   * velocity and (PaCo) the key queue, by name. Copies.
   *
   * @throws IllegalStateException while a step is pending (its update not yet decided)
   */
  Map<String, double[]> state();

  /**
   * Continues from the {@link #state} of a checkpoint of the same run.
   *
   * @throws IllegalArgumentException naming an array that is missing or of another size
   */
  void restore(Map<String, double[]> state);

  /** {@code state}'s array {@code name}, checked to hold {@code size} values. */
  static double[] entry(Map<String, double[]> state, String name, int size) {
    double[] v = state.get(name);
    if (v == null || v.length != size) {
      throw new IllegalArgumentException("the saved driver state has " + (v == null
          ? "no " + name : name + " of " + v.length + " values") + " where this run needs "
          + size + " (a checkpoint of other loss or model settings)");
    }
    return v;
  }

  /** Copies {@code state}'s array {@code name} into {@code into}, checking its size. */
  static void restoreInto(Map<String, double[]> state, String name, double[] into) {
    System.arraycopy(entry(state, name, into.length), 0, into, 0, into.length);
  }
}
