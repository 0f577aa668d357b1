package org.ttcspark.loss;

import java.io.Serializable;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code loss.paco} section: PaCo's loss weights ({@link PacoLoss}) and its MoCo-style
 * key encoder and queue.
 *
 * @param classCounts per-class train counts for the logit adjustment; empty: the train split's
 * @param alpha weight of the sample positives, at least 0
 * @param beta weight of the class positive, at least 0
 * @param gamma weight of the sample columns in the denominator, greater than 0
 * @param supt temperature of the class columns, greater than 0
 * @param temperature T of the feature columns (the loss factor T / T_b is 1, as the authors'
 *     default base temperature), greater than 0
 * @param queueSize K keys kept from earlier iterations, at least 0
 * @param momentum m of the key encoder's update {@code w_k = m w_k + (1 - m) w_q}, in [0, 1]
 */
public record PacoConfig(List<Long> classCounts, double alpha, double beta, double gamma,
    double supt, double temperature, int queueSize, double momentum) implements Serializable {
  static PacoConfig read(ConfigReader r) {
    PacoConfig c = new PacoConfig(ClassCounts.read(r, "loss.paco.class-counts"),
        r.doubleIn("loss.paco.alpha", 0, Double.MAX_VALUE),
        r.doubleIn("loss.paco.beta", 0, Double.MAX_VALUE),
        r.doubleAbove("loss.paco.gamma", 0),
        r.doubleAbove("loss.paco.supt", 0),
        r.doubleAbove("loss.paco.temperature", 0),
        r.intIn("loss.paco.queue-size", 0, 1 << 20),
        r.doubleIn("loss.paco.momentum", 0, 1));
    r.require(c.alpha() + c.beta() > 0, "loss.paco.alpha", "and loss.paco.beta are both 0; an "
        + "anchor would have no positive: make one of them greater than 0");
    return c;
  }

  /** The loss for the given train counts (used when no counts are configured). */
  public PacoLoss loss(long[] trainCounts) {
    return new PacoLoss(alpha, beta, gamma, supt, temperature, temperature,
        ClassCounts.orElse(classCounts, trainCounts));
  }
}
