package org.ttcspark.cli;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.sweep.PlannedRun;
import org.ttcspark.sweep.ResultsTable;
import org.ttcspark.sweep.SweepPlan;
import org.ttcspark.sweep.Stage;
import org.ttcspark.sweep.SweepRunner;
import org.ttcspark.sweep.SweepSpec;
import org.ttcspark.sweep.report.ReportWriter;

/**
 * {@code ttc sweep -c conf/sweep/<name>.conf}: expands the grid, validates every run, runs the
 * unfinished ones in order, keeps {@code results.{csv,md,parquet}} current and writes the report.
 */
final class SweepCommand implements Command {
  @Override
  public String name() {
    return "sweep";
  }

  @Override
  public String summary() {
    return "run a grid of datasets, ratios, methods and seeds, resumably";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.toggle("dry-run", "print the plan (and which runs are finished) only"),
        Flag.value("redo", "STAGES", "in finished runs, run these evaluation stages again "
            + "(comma-separated: embed, probe, finetune, metrics); earlier outputs move to "
            + "<run>/superseded/<time>/"));
  }

  @Override
  public List<String> configSections() {
    return List.of("sweep", "run");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    return runSweep(inv, inv.config());
  }

  /** Runs the sweep of {@code config}; shared with {@code ttc demo}. */
  static int runSweep(Invocation inv, Config config) throws Exception {
    List<PlannedRun> plan = SweepPlan.expand(config);
    SweepSpec spec = SweepSpec.from(config);
    Set<Stage> redo = redoStages(inv, spec.stages());
    Path sweepDir = new Path(RunConfig.from(config).dir(), spec.name());
    if (inv.has("dry-run")) {
      Configuration hadoop = new Configuration();
      inv.out().printf("sweep %s: %d runs, stages %s, folder %s%n", spec.name(), plan.size(),
          spec.stages(), sweepDir);
      SweepRunner runner = new SweepRunner(new SweepStages(inv, hadoop), hadoop, inv.out());
      for (PlannedRun r : plan) {
        String finished = runner.finishedFolder(r);
        inv.out().printf(Locale.ROOT, "  %-10s %-8s %-9s seed %-4d %s%s%n", r.dataset(),
            r.ratio(), r.method(), r.seed(), r.hash(), finished == null ? ""
                : finished.endsWith(r.hash()) ? "  (finished)"
                : "  (finished as " + finished + ", reused)");
      }
      return Main.OK;
    }
    SparkSession spark = inv.spark().session();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    SweepStages stages = new SweepStages(inv, hadoop);
    SweepRunner runner = new SweepRunner(stages, hadoop, inv.out());
    List<Map<String, Object>> rows = runner.run(plan, spec.stages(), sweepDir,
        r -> writeParquet(spark, r, new Path(sweepDir, "results.parquet")), redo);
    Path report = ReportWriter.write(sweepDir, hadoop);
    long failed = rows.stream().filter(r -> !"ok".equals(r.get("status"))).count();
    inv.out().println();
    for (String verdict : ReportWriter.verdicts(sweepDir, hadoop)) {
      inv.out().println(verdict);
      inv.out().println();
    }
    inv.out().printf("sweep %s: %d runs, %d failed; results %s; report %s%n", spec.name(),
        rows.size(), failed, new Path(sweepDir, "results.csv"), report);
    return failed == 0 ? Main.OK : Main.FAILED;
  }

  /** The stages of {@code --redo}, checked before Spark starts. */
  static Set<Stage> redoStages(Invocation inv, List<Stage> stages) {
    Set<Stage> redo = new java.util.LinkedHashSet<>();
    for (String word : inv.flag("redo").map(v -> v.split(",")).orElse(new String[0])) {
      Stage stage = java.util.Arrays.stream(Stage.values())
          .filter(s -> s.word().equals(word.trim())).findFirst().orElse(null);
      if (stage == null || !SweepRunner.REDOABLE.contains(stage) || !stages.contains(stage)) {
        throw new UsageException("--redo " + word.trim() + ": give evaluation stages of "
            + "sweep.stages, comma-separated: " + stages.stream()
                .filter(SweepRunner.REDOABLE::contains).map(Stage::word).toList()
            + " (to retrain a run, delete its folder and start the sweep again)");
      }
      redo.add(stage);
    }
    return redo;
  }

  /** The results table as Parquet: numbers as double, everything else as string. */
  static void writeParquet(SparkSession spark, List<Map<String, Object>> rows, Path target)
      throws IOException {
    List<String> cols = ResultsTable.columns(rows);
    List<StructField> fields = new ArrayList<>();
    for (String c : cols) {
      boolean numeric = rows.stream().map(r -> r.get(c))
          .allMatch(v -> v == null || v instanceof Number);
      fields.add(DataTypes.createStructField(c,
          numeric ? DataTypes.DoubleType : DataTypes.StringType, true));
    }
    StructType schema = DataTypes.createStructType(fields);
    List<Row> data = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Object[] cells = new Object[cols.size()];
      for (int i = 0; i < cells.length; i++) {
        Object v = r.get(cols.get(i));
        cells[i] = v == null ? null : schema.fields()[i].dataType() == DataTypes.DoubleType
            ? ((Number) v).doubleValue() : v.toString();
      }
      data.add(RowFactory.create(cells));
    }
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path tmp = HadoopFiles.temporarySibling(target);
    try {
      spark.createDataFrame(data, schema).coalesce(1).write().parquet(tmp.toString());
      HadoopFiles.replace(fs, tmp, target);
    } finally {
      fs.delete(tmp, true);
    }
  }
}
