package org.ttcspark.data.spark;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.Manifest;
import org.ttcspark.data.PrepareConfig;
import org.ttcspark.data.PreparedDataset;

/** Runs the prepare job in tests with {@code key=value} settings over reference.conf. */
final class PrepareFixture {
  static final long SEED = 42;

  private PrepareFixture() {}

  static Config config(String... overrides) {
    List<String> all = new ArrayList<>(List.of("run.seed=" + SEED));
    all.addAll(Arrays.asList(overrides));
    return ConfigLoader.load(List.of(), all);
  }

  static Manifest prepare(SparkSession spark, String... overrides) throws IOException {
    Config c = config(overrides);
    return PrepareJob.run(spark, DatasetConfig.from(c), PrepareConfig.from(c), SEED,
        Map.of("dataset", c.getConfig("dataset").root().unwrapped()));
  }

  /** Every row of a prepared dataset, sorted by id. */
  static List<Row> rows(SparkSession spark, String path) throws IOException {
    return PreparedDataset.open(path, spark).all().orderBy(Columns.ID).collectAsList();
  }

  /** The ids of a split, sorted. */
  static List<String> ids(SparkSession spark, String path, String split) throws IOException {
    return PreparedDataset.open(path, spark).split(split).orderBy(Columns.ID)
        .select(Columns.ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }
}
