package org.ttcspark.train.scaling;

import com.typesafe.config.Config;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code train.bench.scaling} section: what {@code ttc bench --mode scaling} measures and
 * for which cluster it predicts.
 *
 * @param bandwidthGbps each executor's network link in Gbit/s (full duplex)
 * @param blockLatencyMs round trip of one remote block fetch in milliseconds
 * @param executors the executor counts to predict for, ascending
 * @param smallBatch the smaller per-executor batch (samples) timed for the compute fit
 * @param largeBatch the larger one
 */
public record ScalingConfig(double bandwidthGbps, double blockLatencyMs, List<Integer> executors,
    int smallBatch, int largeBatch) {
  /** Reads and checks the section. @throws org.ttcspark.config.ConfigProblems */
  public static ScalingConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    double bandwidth = r.doubleAbove("train.bench.scaling.bandwidth-gbps", 0);
    double latency = r.doubleIn("train.bench.scaling.block-latency-ms", 0, 10_000);
    List<Integer> executors = whole(r, "train.bench.scaling.executors");
    r.require(!executors.isEmpty() && ascending(executors) && executors.get(0) >= 1
        && executors.get(executors.size() - 1) <= 1 << 16, "train.bench.scaling.executors",
        "must be a non-empty ascending list of executor counts in [1, 65536], e.g. "
        + "[1, 2, 4, 8, 16, 32, 64]");
    List<Integer> batches = whole(r, "train.bench.scaling.compute-batches");
    boolean two = batches.size() == 2 && batches.get(0) >= 2 && batches.get(1) > batches.get(0);
    r.require(two, "train.bench.scaling.compute-batches", "must be two per-executor batch "
        + "sizes in samples, the smaller first and at least 2 (the bare step's contrastive "
        + "loss needs two samples), e.g. [8, 32]");
    r.done();
    return new ScalingConfig(bandwidth, latency, executors, batches.get(0), batches.get(1));
  }

  /** The link speed in bit/s. */
  public double bitsPerSecond() {
    return bandwidthGbps * 1e9;
  }

  /** The block latency in seconds. */
  public double blockLatencySeconds() {
    return blockLatencyMs / 1e3;
  }

  /** This configuration at another link speed (the {@code --bandwidth} flag). */
  public ScalingConfig withBandwidth(double gbps) {
    if (!(gbps > 0) || Double.isInfinite(gbps)) {
      throw new IllegalArgumentException("the bandwidth must be a positive number of Gbit/s, "
          + "e.g. --bandwidth 10, not " + gbps);
    }
    return new ScalingConfig(gbps, blockLatencyMs, executors, smallBatch, largeBatch);
  }

  private static List<Integer> whole(ConfigReader r, String path) {
    List<Double> values = r.doubles(path);
    boolean whole = values.stream().allMatch(v -> v == Math.rint(v) && Math.abs(v) < 1 << 20);
    r.require(whole, path, "must hold whole numbers");
    return whole ? values.stream().map(Double::intValue).toList() : List.of();
  }

  private static boolean ascending(List<Integer> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) <= values.get(i - 1)) {
        return false;
      }
    }
    return true;
  }
}
