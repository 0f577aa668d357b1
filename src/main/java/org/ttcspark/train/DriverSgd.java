package org.ttcspark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

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
}
