package org.ttcspark.data.spark;

import org.apache.spark.util.AccumulatorV2;
import org.ttcspark.data.PixelStats;

/** Spark accumulator of {@link PixelStats}: the train split's statistics in the write pass. */
final class StatsAccumulator extends AccumulatorV2<PixelStats, PixelStats> {
  private static final long serialVersionUID = 1L;
  private PixelStats stats = new PixelStats();

  @Override
  public boolean isZero() {
    return stats.images() == 0;
  }

  @Override
  public AccumulatorV2<PixelStats, PixelStats> copy() {
    StatsAccumulator c = new StatsAccumulator();
    c.stats.merge(stats);
    return c;
  }

  @Override
  public void reset() {
    stats = new PixelStats();
  }

  @Override
  public void add(PixelStats v) {
    stats.merge(v);
  }

  @Override
  public void merge(AccumulatorV2<PixelStats, PixelStats> other) {
    stats.merge(other.value());
  }

  @Override
  public PixelStats value() {
    return stats;
  }
}
