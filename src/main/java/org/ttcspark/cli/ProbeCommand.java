package org.ttcspark.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.embed.EmbeddingsReader;
import org.ttcspark.metrics.ClassificationMetrics;
import org.ttcspark.metrics.ProbeConfig;
import org.ttcspark.metrics.spark.LinearProbe;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;

/**
 * {@code ttc probe}: a linear classifier on frozen embeddings (train → fit, val → choose the
 * regularisation, test → report), written as JSON and printed.
 */
final class ProbeCommand implements Command {
  /** The result file's name inside a run folder when {@code --out} is not given. */
  static final String RESULT = "probe.json";

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public String summary() {
    return "fit and evaluate a linear probe on stored embeddings";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("embeddings-dir", "DIR", "Parquet embeddings folder written by ttc embed"),
        Flag.value("out", "FILE", "result JSON (default: probe.json in the run folder: run.name, or the one "
            + "holding the embeddings)"));
  }

  @Override
  public String positionals() {
    return "[EMBEDDINGS_DIR]";
  }

  @Override
  public List<String> configSections() {
    return List.of("probe", "run", "spark");
  }

  @Override
  public void validate(Invocation inv) {
    Checks.collect(inv.config(), List.of(ProbeConfig::from, org.ttcspark.platform.RunConfig::from,
        org.ttcspark.platform.RuntimeConfig::from));
    folder(inv);
  }

  @Override
  public int run(Invocation inv) throws Exception {
    ProbeConfig config = ProbeConfig.from(inv.config());
    String dir = folder(inv);
    SparkSession spark = inv.spark().session();
    LinearProbe.Result r = LinearProbe.run(EmbeddingsReader.read(spark, dir), config, dir);
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path out = inv.flag("out").map(Path::new).orElse(null);
    if (out == null) {
      Path run = RunTarget.folder(inv, dir, hadoop);
      out = new Path(run, RESULT);
      HadoopFiles.writeString(out, hadoop, Json.write(json(dir, config, r)));
      RunTarget.record(inv, name(), run, hadoop);
    } else {
      HadoopFiles.writeString(out, hadoop, Json.write(json(dir, config, r)));
    }
    print(inv, config, r);
    inv.out().println("probe: wrote " + out);
    return Main.OK;
  }

  static Map<String, Object> json(String dir, ProbeConfig config, LinearProbe.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("embeddings", dir);
    m.put("column", config.column());
    m.put("class_weights", org.ttcspark.config.ConfigReader.kebab(config.classWeights()));
    m.put("select_by", org.ttcspark.config.ConfigReader.kebab(config.selectBy()));
    Map<String, Double> scores = new LinkedHashMap<>();
    r.validationScores().forEach((reg, s) -> scores.put(Double.toString(reg), s));
    m.put("validation_scores", scores);
    m.put("reg_param", r.regParam());
    m.put("train_counts", ClassificationMetrics.byClass(r.trainCounts()[0],
        r.trainCounts()[1]));
    m.put("validation", r.validation().toJson());
    m.put("test", r.test().toJson());
    return m;
  }

  private static void print(Invocation inv, ProbeConfig config, LinearProbe.Result r) {
    ClassificationMetrics t = r.test();
    inv.out().printf(Locale.ROOT, "probe on %s, class weights %s, reg-param %s (best %s on %s)%n",
        config.column(), org.ttcspark.config.ConfigReader.kebab(config.classWeights()),
        r.regParam(), org.ttcspark.config.ConfigReader.kebab(config.selectBy()),
        config.valSplit());
    inv.out().printf(Locale.ROOT, "%-18s %.4f%n", "accuracy", t.accuracy());
    inv.out().printf(Locale.ROOT, "%-18s %.4f%n", "balanced accuracy", t.balancedAccuracy());
    inv.out().printf(Locale.ROOT, "%-18s %.4f%n", "AUROC", t.auroc());
    inv.out().printf(Locale.ROOT, "%-18s %.4f (class %d)%n", "minority F1", t.minorityF1(),
        t.minorityClass());
    inv.out().printf(Locale.ROOT, "%-18s %.4f%n", "macro F1", t.macroF1());
    long[][] c = t.confusion();
    inv.out().printf(Locale.ROOT, "confusion (rows true 0/1, columns predicted 0/1): "
        + "[[%d, %d], [%d, %d]]%n", c[0][0], c[0][1], c[1][0], c[1][1]);
  }

  private static String folder(Invocation inv) {
    List<String> given = new java.util.ArrayList<>(inv.positionals());
    inv.flag("embeddings-dir").ifPresent(given::add);
    if (given.size() != 1) {
      throw new UsageException("ttc probe needs exactly one Parquet embeddings folder "
          + "(positional or --embeddings-dir), got " + given);
    }
    return given.get(0);
  }
}
