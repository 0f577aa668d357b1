package org.ttcspark.train;

import com.typesafe.config.Config;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code train.online-eval} section (every key is documented in {@code reference.conf}).
 *
 * @param enabled whether to evaluate at all
 * @param every evaluate after every this many epochs (and after the last), at least 1
 * @param k neighbours of the k-NN vote, at least 1
 */
public record OnlineEvalConfig(boolean enabled, int every, int k) {

  /** Reads and checks the section. @throws org.ttcspark.config.ConfigProblems */
  public static OnlineEvalConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    OnlineEvalConfig c = new OnlineEvalConfig(r.bool("train.online-eval.enabled"),
        r.intIn("train.online-eval.every", 1, 1_000_000),
        r.intIn("train.online-eval.k", 1, 100_000));
    r.done();
    return c;
  }

  /** Whether to evaluate after {@code epoch} of a run of {@code lastEpoch} epochs. */
  public boolean due(int epoch, int lastEpoch) {
    return enabled && (epoch % every == 0 || epoch == lastEpoch);
  }
}
