package org.ttcspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.Manifest;
import org.ttcspark.data.PrepareConfig;
import org.ttcspark.data.spark.PrepareJob;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.MemoryPeaks;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;

/**
 * {@code ttc prepare}: reads {@code dataset.source} at {@code dataset.path} and writes the
 * prepared dataset {@code dataset.prepared}. With {@code --bench N} it instead prepares N
 * synthetic JPEGs of {@code prepare.bench-size} pixels into the work folder, prints images per
 * second and the driver's peak heap, and deletes them.
 */
final class PrepareCommand implements Command {
  @Override
  public String name() {
    return "prepare";
  }

  @Override
  public String summary() {
    return "read a source dataset and write prepared Parquet with a manifest";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("bench", "N", "prepare N synthetic JPEGs, print images/second and "
        + "peak driver heap, then delete them"));
  }

  @Override
  public List<String> configSections() {
    return List.of("dataset", "prepare", "run");
  }

  /** The summary's file name in the stage record ({@code stages/prepare/}). */
  static final String SUMMARY = "prepare.json";

  @Override
  public void validate(Invocation invocation) {
    if (invocation.has("bench")) {
      parseCount(invocation.requiredFlag("bench"));
      Checks.collect(invocation.config(), List.of(PrepareConfig::from, RunConfig::from,
          org.ttcspark.platform.RuntimeConfig::from));
      return;
    }
    Checks.collect(invocation.config(), List.of(DatasetConfig::from, PrepareConfig::from,
        RunConfig::from, org.ttcspark.platform.RuntimeConfig::from));
  }

  @Override
  public int run(Invocation invocation) throws Exception {
    if (invocation.has("bench")) {
      return bench(invocation, parseCount(invocation.requiredFlag("bench")));
    }
    Config config = invocation.config();
    DatasetConfig dataset = DatasetConfig.from(config);
    PrepareConfig prepare = PrepareConfig.from(config);
    RunConfig run = invocation.run();
    SparkSession spark = invocation.spark().session();
    long start = System.nanoTime();
    Manifest m = PrepareJob.run(spark, dataset, prepare, run.seed(), parameters(config));
    double seconds = (System.nanoTime() - start) / 1e9;
    long rows = m.count(Columns.TRAIN) + m.count(Columns.VAL) + m.count(Columns.TEST);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("prepared", dataset.prepared());
    summary.put("rows", rows);
    summary.put("seconds", seconds);
    summary.put("counts", m.counts());
    summary.put("bad_records", m.badRecords().size());
    var hadoop = spark.sparkContext().hadoopConfiguration();
    RunFolder folder = RunTarget.record(invocation, name(),
        RunTarget.folder(invocation, null, hadoop), hadoop);
    HadoopFiles.writeString(new Path(folder.stage(name()), SUMMARY), hadoop,
        Json.write(summary));
    String empty = MinorityCheck.emptyClassWarning(m, dataset.prepared());
    if (empty != null) {
      invocation.err().println("ttc: warning: " + empty);
    }
    invocation.out().printf("prepared %s: %d rows %s, %d skipped, %.1f s%n", dataset.prepared(),
        rows, m.counts(), m.badRecords().size(), seconds);
    return Main.OK;
  }

  private int bench(Invocation invocation, int n) throws Exception {
    Config base = invocation.config();
    PrepareConfig prepare = PrepareConfig.from(base);
    RunConfig run = invocation.run();
    String out = new Path(run.workDir(), "prepare-bench-" + System.nanoTime()).toString();
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("dataset.source", "synthetic");
    overrides.put("dataset.prepared", out);
    overrides.put("dataset.ratios", List.of(0.5, 0.5));
    overrides.put("dataset.balance", "none");
    // ratios 0.5/0.5 keep floor(n / 2) of each label: n images for an even n
    overrides.put("dataset.synthetic.train-per-class", n);
    overrides.put("dataset.synthetic.val-per-class", 0);
    overrides.put("dataset.synthetic.test-per-class", 0);
    overrides.put("dataset.synthetic.size", prepare.benchSize());
    overrides.put("dataset.synthetic.format", "jpeg");
    Config config = ConfigFactory.parseMap(overrides).withFallback(base);
    DatasetConfig dataset = DatasetConfig.from(config);
    SparkSession spark = invocation.spark().session();
    var conf = spark.sparkContext().hadoopConfiguration();
    System.gc();
    MemoryPeaks.reset();
    long start = System.nanoTime();
    try {
      Manifest m = PrepareJob.run(spark, dataset, prepare, run.seed(), parameters(config));
      double seconds = (System.nanoTime() - start) / 1e9;
      long peak = MemoryPeaks.heapBytes();
      long images = m.count(Columns.TRAIN);
      invocation.out().printf("prepare bench: %d synthetic %dx%d JPEGs in %.1f s = %.0f "
          + "images/s on %s; peak driver heap %.0f MiB (local mode: executors share the "
          + "driver's JVM)%n", images, prepare.benchSize(), prepare.benchSize(), seconds,
          images / seconds, spark.sparkContext().master(), peak / 1048576.0);
    } finally {
      new Path(out).getFileSystem(conf).delete(new Path(out), true);
    }
    return Main.OK;
  }

  private static int parseCount(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 2) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--bench needs a number of images of at least 2, not '" + value
        + "'");
  }

  /** The resolved dataset and prepare sections, recorded in the manifest. */
  private static Map<String, Object> parameters(Config config) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("dataset", config.getConfig("dataset").root().unwrapped());
    p.put("prepare", config.getConfig("prepare").root().unwrapped());
    return p;
  }
}
