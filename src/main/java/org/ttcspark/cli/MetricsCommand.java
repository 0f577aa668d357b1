package org.ttcspark.cli;

import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.metrics.MetricsConfig;
import org.ttcspark.metrics.PerClass;
import org.ttcspark.metrics.RepresentationMetrics;
import org.ttcspark.metrics.plot.EmbeddingPlot;
import org.ttcspark.metrics.spark.DistributedMetrics;
import org.ttcspark.metrics.spark.EmbeddingProjection;
import org.ttcspark.metrics.spark.EmbeddingStack;
import org.ttcspark.metrics.spark.MetricsBenchmark;
import org.ttcspark.metrics.spark.ReferenceRun;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunConfig;

/**
 * {@code ttc metrics}: SAA, CAC, SAD, CAD and uniformity per class over stored embeddings
 * (a Parquet embeddings folder or {@code .npy} files), written as README, "ttc metrics" JSON; or
 * {@code --bench N} on synthetic embeddings.
 */
final class MetricsCommand implements Command {
  /** The result file's name inside a run folder when {@code --out} is not given. */
  static final String RESULT = "metrics.json";

  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public String summary() {
    return "SAA, CAC, SAD, CAD and uniformity over stored embeddings";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("embeddings-dir", "DIR", "Parquet embeddings folder written by ttc embed"),
        Flag.value("embeddings", "X.npy", "embeddings [N, D], view-major, instead of Parquet"),
        Flag.value("labels", "Y.npy", "labels [N] of the .npy embeddings, 0/1"),
        Flag.value("views", "V", "views stacked in the .npy embeddings (N = V * samples)"),
        Flag.value("out", "FILE", "result JSON (default: metrics.json in the run folder: run.name, or the "
            + "one holding the embeddings)"),
        Flag.value("bench", "N", "benchmark on N synthetic 128-d embeddings instead"),
        Flag.value("reference", "CHECKOUT", "with --bench: also time the authors' metrics.py "
            + "(a checkout of their repository) on the same embeddings, side by side"),
        Flag.value("python", "EXE", "with --reference: the Python with numpy, scikit-learn "
            + "and torch (default /usr/bin/python3)"));
  }

  @Override
  public String positionals() {
    return "[EMBEDDINGS_DIR]";
  }

  @Override
  public List<String> configSections() {
    return List.of("metrics", "run", "spark");
  }

  @Override
  public void validate(Invocation inv) {
    Checks.collect(inv.config(), List.of(MetricsConfig::from, RunConfig::from,
        org.ttcspark.platform.RuntimeConfig::from));
    if (inv.has("bench")) {
      positiveInt(inv, "bench");
      if (inv.has("python") && !inv.has("reference")) {
        throw new UsageException("--python goes with --reference CHECKOUT");
      }
    } else if (inv.has("reference") || inv.has("python")) {
      throw new UsageException("--reference and --python go with --bench N");
    } else {
      Input.of(inv);
    }
  }

  @Override
  public int run(Invocation inv) throws Exception {
    MetricsConfig config = MetricsConfig.from(inv.config());
    RunConfig run = inv.run();
    if (inv.has("bench")) {
      return bench(inv, config, run, positiveInt(inv, "bench"));
    }
    Input input = Input.of(inv);
    SparkSession spark = inv.spark().session();
    EmbeddingStack stack = input.read(spark, config);
    RepresentationMetrics m = DistributedMetrics.compute(stack.rows(), stack.layout(),
        config.blockSize(), config.partitions(), run.workDir(), stack.source());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path runFolder = inv.has("out") ? null : RunTarget.folder(inv, input.folder(), hadoop);
    Path out = inv.flag("out").map(Path::new).orElseGet(() -> new Path(runFolder, RESULT));
    HadoopFiles.writeString(out, hadoop, Json.write(m.toJson()));
    print(inv, m);
    inv.out().println("metrics: wrote " + out);
    if (config.plot()) {
      Path png = new Path(out.getParent(), out.getName().replaceFirst("\\.json$", "") + ".png");
      EmbeddingProjection p = EmbeddingProjection.of(spark, stack.rows(),
          config.plotMaxPoints(), run.seed());
      byte[] bytes = EmbeddingPlot.png(EmbeddingPlot.render(p.xy(), p.labels(), p.subtypes(),
          config.plotSize(), "PCA of " + stack.source()));
      HadoopFiles.writeAtomically(png, hadoop, o -> o.write(bytes));
      inv.out().println("metrics: wrote " + png);
    }
    if (runFolder != null) {
      RunTarget.record(inv, name(), runFolder, hadoop);
    }
    return Main.OK;
  }

  /** Where the embeddings come from, checked before Spark starts. */
  private record Input(String folder, String npy, String labels, int views) {
    static Input of(Invocation inv) {
      if (inv.has("embeddings")) {
        if (inv.has("embeddings-dir") || !inv.positionals().isEmpty()) {
          throw new UsageException("give either --embeddings X.npy or a Parquet embeddings "
              + "folder, not both");
        }
        return new Input(null, inv.requiredFlag("embeddings"), inv.requiredFlag("labels"),
            positiveInt(inv, "views"));
      }
      List<String> given = new java.util.ArrayList<>(inv.positionals());
      inv.flag("embeddings-dir").ifPresent(given::add);
      if (given.size() != 1) {
        throw new UsageException("ttc metrics needs one Parquet embeddings folder (positional "
            + "or --embeddings-dir) or --embeddings X.npy --labels Y.npy --views V; got "
            + (given.isEmpty() ? "none" : given));
      }
      return new Input(given.get(0), null, null, 0);
    }

    EmbeddingStack read(SparkSession spark, MetricsConfig config) throws java.io.IOException {
      return folder != null ? EmbeddingStack.fromParquet(spark, folder, config)
          : EmbeddingStack.fromNpy(spark, npy, labels, views, config.partitions(), config);
    }
  }

  private static int bench(Invocation inv, MetricsConfig config, RunConfig run, int rows)
      throws Exception {
    SparkSession spark = inv.spark().session();
    MetricsBenchmark.Result r = MetricsBenchmark.run(spark, rows, run.seed(), config,
        run.workDir());
    double command = MetricsBenchmark.secondsSinceJvmStart();
    Long rss = MetricsBenchmark.peakResidentBytes();
    inv.out().printf(Locale.ROOT, "metrics bench: N=%d dim=%d views=2 k=%d blocks of %d on %s%n",
        r.rows(), MetricsBenchmark.DIM, r.metrics().k(), config.blockSize(),
        spark.sparkContext().master());
    inv.out().printf(Locale.ROOT, "  time %.1f s, driver peak heap %.0f MiB, executor peak heap "
        + "%.0f MiB%n", r.seconds(), r.driverPeakBytes() / 1048576.0,
        r.executorPeakBytes() / 1048576.0);
    print(inv, r.metrics());
    if (inv.has("reference")) {
      java.nio.file.Path scratch = java.nio.file.Paths.get(new Path(run.workDir()).toUri()
          .getPath());
      ReferenceRun ref = ReferenceRun.run(inv.flag("python").orElse("/usr/bin/python3"),
          java.nio.file.Paths.get(inv.requiredFlag("reference")), scratch, rows, run.seed());
      sideBySide(inv, r, command, rss, ref);
    }
    return Main.OK;
  }

  private static void sideBySide(Invocation inv, MetricsBenchmark.Result r, double command,
      Long rss, ReferenceRun ref) {
    var o = inv.out();
    o.printf(Locale.ROOT, "side by side, N=%d (the same embeddings):%n", r.rows());
    o.printf(Locale.ROOT, "  %-26s %12s %12s %8s%n", "", "ttc-spark", "metrics.py", "ratio");
    o.printf(Locale.ROOT, "  %-26s %10.1f s %10.1f s %7.1fx%n", "metrics (inside the job)",
        r.seconds(), ref.seconds(), ref.seconds() / r.seconds());
    o.printf(Locale.ROOT, "  %-26s %10.1f s %10.1f s %7.1fx%n", "whole command (process)",
        command, ref.processSeconds(), ref.processSeconds() / command);
    o.printf(Locale.ROOT, "  %-26s %9.2f GB %9.2f GB %7s%n", "peak resident set",
        rss == null ? Double.NaN : rss / 1e9, ref.peakRssBytes() / 1e9,
        rss == null ? "-" : String.format(Locale.ROOT, "%.1fx", ref.peakRssBytes()
            / (double) rss));
    o.printf(Locale.ROOT, "  %-26s %9.2f GB %12s%n", "peak heap (driver)",
        r.driverPeakBytes() / 1e9, "-");
    o.printf(Locale.ROOT, "  %-12s %21s %25s%n", "metric", "ttc-spark class 0 / 1",
        "metrics.py class 0 / 1");
    RepresentationMetrics m = r.metrics();
    refRow(inv, "SAA %", m.saa(), ref, "saa");
    refRow(inv, "CAC %", m.cac(), ref, "cac");
    refRow(inv, "SAD", m.sad(), ref, "sad");
    refRow(inv, "CAD", m.cad(), ref, "cad");
    refRow(inv, "GPU", m.gpu(), ref, "gpu");
  }

  private static void refRow(Invocation inv, String name, PerClass ours, ReferenceRun ref,
      String key) {
    var theirs = ref.metrics().path(key);
    inv.out().printf(Locale.ROOT, "  %-12s %10s %10s %12s %12s%n", name, fmt(ours.class0()),
        fmt(ours.class1()), fmt(theirs.path(0).isNumber() ? theirs.path(0).asDouble() : null),
        fmt(theirs.path(1).isNumber() ? theirs.path(1).asDouble() : null));
  }

  private static int positiveInt(Invocation inv, String flag) {
    String v = inv.requiredFlag(flag);
    try {
      int n = Integer.parseInt(v);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + flag + " must be a positive integer, got '" + v + "'");
  }

  private static void print(Invocation inv, RepresentationMetrics m) {
    inv.out().printf(Locale.ROOT, "N=%d views=%d k=%d%n", m.n(), m.views(), m.k());
    inv.out().printf("%-12s %12s %12s%n", "metric", "class 0", "class 1");
    row(inv, "SAA %", m.saa());
    row(inv, "CAC %", m.cac());
    row(inv, "SAD", m.sad());
    row(inv, "CAD", m.cad());
    row(inv, "GPU", m.gpu());
    if (m.subtypeKnn() != null) {
      row(inv, "subtype 1NN %", m.subtypeKnn());
    }
  }

  private static void row(Invocation inv, String name, PerClass v) {
    inv.out().printf(Locale.ROOT, "%-12s %12s %12s%n", name, fmt(v.class0()), fmt(v.class1()));
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.6g", d);
  }
}
