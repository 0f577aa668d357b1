package org.ttcspark.train;

import com.typesafe.config.Config;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code train.collapse} section: when {@link CollapseDetector} calls a batch collapsed
 * (every key is documented in {@code reference.conf}).
 *
 * @param lossTolerance how close the loss must be to the collapsed-batch loss, as a fraction of
 *     it, in [0, 1]
 * @param cosineThreshold the batch mean pairwise cosine it must exceed, in [-1, 1]
 * @param patience consecutive iterations both must hold, at least 1
 */
public record CollapseConfig(double lossTolerance, double cosineThreshold, int patience) {

  /** Reads and checks the section. @throws org.ttcspark.config.ConfigProblems */
  public static CollapseConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    CollapseConfig c = new CollapseConfig(r.doubleIn("train.collapse.loss-tolerance", 0, 1),
        r.doubleIn("train.collapse.cosine-threshold", -1, 1),
        r.intIn("train.collapse.patience", 1, 1_000_000));
    r.done();
    return c;
  }
}
