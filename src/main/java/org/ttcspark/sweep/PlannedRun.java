package org.ttcspark.sweep;

import com.typesafe.config.Config;

/**
 * One run of a sweep: its place in the grid, its fully resolved configuration, and where it and
 * its prepared dataset live.
 *
 * @param dataset dataset name from {@code sweep.datasets}
 * @param ratio minority fraction of the train split
 * @param method method name
 * @param seed run seed
 * @param config the run's resolved configuration ({@code run.dir}/{@code run.name} point at
 *     {@link #runFolder})
 * @param hash fingerprint of the settings that decide the result ({@link ConfigHash})
 * @param runFolder the run's folder (a Hadoop path)
 * @param datasetFolder the prepared dataset's folder, shared by runs with the same dataset,
 *     ratio and seed (a Hadoop path)
 */
public record PlannedRun(String dataset, double ratio, String method, long seed, Config config,
    String hash, String runFolder, String datasetFolder) {

  /** The command that trains this run's encoder. */
  public String trainCommand() {
    return method.equals(SweepSpec.CROSS_ENTROPY) ? "train-ce" : "pretrain";
  }

  /** A readable one-line label. */
  public String label() {
    return dataset + " ratio=" + ratio + " method=" + method + " seed=" + seed;
  }
}
