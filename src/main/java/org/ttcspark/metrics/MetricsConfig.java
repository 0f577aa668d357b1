package org.ttcspark.metrics;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code metrics} section (see reference.conf for meanings and ranges).
 *
 * @param column which embedding of the Parquet to measure: "feature" or "projection"
 * @param split rows of this split only, or "all"
 * @param blockSize rows per block of the neighbour search
 * @param partitions tasks of the neighbour search; 0 = Spark's default parallelism
 * @param cacFraction k = max(1, floor(cacFraction * N))
 * @param gpuT t of the Gaussian potential
 * @param plot whether to write a PCA scatter plot beside the result
 * @param plotMaxPoints at most this many points are drawn (a seeded sample beyond)
 * @param plotSize width and height of the plot in pixels
 */
public record MetricsConfig(String column, String split, int blockSize, int partitions,
    double cacFraction, double gpuT, boolean plot, int plotMaxPoints, int plotSize)
    implements Serializable {

  /** Reads and validates the {@code metrics} section. */
  public static MetricsConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    MetricsConfig m = new MetricsConfig(
        r.oneOf("metrics.column", "feature", "projection"),
        r.string("metrics.split"),
        r.intIn("metrics.block-size", 1, 65536),
        r.intIn("metrics.partitions", 0, 1_000_000),
        r.doubleIn("metrics.cac-fraction", 0.0, 1.0),
        r.doubleAbove("metrics.gpu-t", 0.0),
        r.bool("metrics.plot.enabled"),
        r.intIn("metrics.plot.max-points", 2, 10_000_000),
        r.intIn("metrics.plot.size", 64, 8192));
    r.require(!m.split.isBlank(), "metrics.split", "must name a split (train, val, test) or all");
    r.done();
    return m;
  }

  /** The stack layout of {@code rows} rows in {@code views} views under these settings. */
  public StackLayout layout(int rows, int views) {
    return StackLayout.of(rows, views, cacFraction, gpuT);
  }
}
