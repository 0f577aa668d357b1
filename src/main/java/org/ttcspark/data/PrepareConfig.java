package org.ttcspark.data;

import com.typesafe.config.Config;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code prepare} section: how the prepare job runs (documented in {@code reference.conf}).
 *
 * @param overwrite replace an existing prepared dataset
 * @param maxBadFraction largest fraction of examined inputs that may be skipped, in [0, 1]
 * @param partitions Spark partitions of the decode-and-write step; 0 = 4 per core
 * @param benchSize image side of the benchmark's synthetic JPEGs, in pixels
 */
public record PrepareConfig(boolean overwrite, double maxBadFraction, int partitions,
    int benchSize) {

  /** Reads and checks the section. */
  public static PrepareConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    PrepareConfig p = new PrepareConfig(r.bool("prepare.overwrite"),
        r.doubleIn("prepare.max-bad-fraction", 0, 1), r.intIn("prepare.partitions", 0, 100_000),
        r.intIn("prepare.bench-size", 8, 1024));
    r.done();
    return p;
  }
}
