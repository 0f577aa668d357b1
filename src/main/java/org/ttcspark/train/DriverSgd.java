package org.ttcspark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SGD with momentum and weight decay for parameters kept on the driver, as PyTorch's
 * {@code SGD} (no dampening, no Nesterov), which both BCL and PaCo use:
 * {@code v = mu v + (g + wd w); w -= lr v}.
 */
public final class DriverSgd implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double momentum;
  private final double weightDecay;
  private final List<double[]> velocity = new ArrayList<>();

  /**
   * @param momentum mu in [0, 1)
   * @param weightDecay wd at least 0
   */
  public DriverSgd(double momentum, double weightDecay) {
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  /**
   * One step over matching lists of parameters and their gradients (the same arrays every
   * call, in the same order).
   */
  public void step(List<double[]> params, List<double[]> grads, double learningRate) {
    while (velocity.size() < params.size()) {
      velocity.add(new double[params.get(velocity.size()).length]);
    }
    for (int p = 0; p < params.size(); p++) {
      double[] w = params.get(p);
      double[] g = grads.get(p);
      double[] v = velocity.get(p);
      for (int i = 0; i < w.length; i++) {
        v[i] = momentum * v[i] + g[i] + weightDecay * w[i];
        w[i] -= learningRate * v[i];
      }
    }
  }

  /** Adds the velocity to {@code state} as {@code prefix0, prefix1, ...} (copies). */
  public void saveTo(Map<String, double[]> state, String prefix) {
    for (int p = 0; p < velocity.size(); p++) {
      state.put(prefix + p, velocity.get(p).clone());
    }
  }

  /**
   * Takes the velocity {@link #saveTo} saved, for parameters of the given sizes, in order.
   *
   * @throws IllegalArgumentException naming the entry that is missing or of another size
   */
  public void restoreFrom(Map<String, double[]> state, String prefix, int... sizes) {
    velocity.clear();
    for (int p = 0; p < sizes.length; p++) {
      velocity.add(DriverObjective.entry(state, prefix + p, sizes[p]).clone());
    }
  }
}
