package org.ttcspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.PrepareConfig;
import org.ttcspark.embed.EmbedConfig;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.metrics.MetricsConfig;
import org.ttcspark.metrics.ProbeConfig;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.sweep.PlannedRun;
import org.ttcspark.sweep.Stage;
import org.ttcspark.sweep.StageRunner;
import org.ttcspark.sweep.TrainingLog;
import org.ttcspark.train.MetricsLogFile;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.FinetuneConfig;
import org.ttcspark.train.TrainConfig;
import org.ttcspark.train.bigdl.Finetune;

/**
 * Runs sweep stages with the same commands a user types, in this JVM: {@code prepare} into the
 * shared dataset folder, {@code pretrain}/{@code train-ce}, {@code embed} twice (the evaluation
 * view of every split for the probe; two augmented views of the test split for the
 * representation metrics), {@code probe}, {@code finetune} and {@code metrics}.
 */
final class SweepStages implements StageRunner {
  /** Folders inside a run: evaluation-view embeddings and two-view test embeddings. */
  static final String EMBEDDINGS = "embeddings";
  static final String VIEW_EMBEDDINGS = "embeddings-views";

  private final Invocation parent;
  private final Configuration hadoop;

  SweepStages(Invocation parent, Configuration hadoop) {
    this.parent = parent;
    this.hadoop = hadoop;
  }

  @Override
  public void validate(PlannedRun run, Stage stage) {
    Config c = config(run, stage);
    switch (stage) {
      case PREPARE:
        DatasetConfig.from(c);
        PrepareConfig.from(c);
        break;
      case TRAIN:
        ModelConfig.from(c);
        TrainConfig.from(c);
        AugmentConfig.from(c);
        if (!run.method().equals("ce")) {
          LossConfig.from(c);
        }
        break;
      case EMBED:
        EmbedConfig.from(c);
        break;
      case PROBE:
        ProbeConfig.from(c);
        break;
      case FINETUNE:
        FinetuneConfig.from(c);
        AugmentConfig.from(c);
        break;
      default:
        MetricsConfig.from(c);
    }
  }

  @Override
  public Map<String, Object> run(PlannedRun run, Stage stage) throws Exception {
    Config c = config(run, stage);
    String folder = run.runFolder();
    switch (stage) {
      case PREPARE:
        command("prepare", c, Map.of());
        return Map.of();
      case TRAIN:
        command(run.trainCommand(), c, Map.of());
        return trainingColumns(folder + "/" + MetricsLogFile.NAME);
      case EMBED:
        command("embed", with(c, "embed.output", folder + "/" + EMBEDDINGS), Map.of());
        command("embed", with(with(with(c, "embed.output", folder + "/" + VIEW_EMBEDDINGS),
            "embed.views", 2), "embed.splits", List.of("test")), Map.of());
        return Map.of();
      case PROBE:
        command("probe", c, Map.of("embeddings-dir", folder + "/" + EMBEDDINGS));
        return probeColumns(read(folder + "/probe.json"));
      case FINETUNE:
        return finetune(c, folder);
      default:
        command("metrics", c, Map.of("embeddings-dir", folder + "/" + VIEW_EMBEDDINGS));
        return metricColumns(read(folder + "/metrics.json"));
    }
  }

  @Override
  public Config recordedConfig(PlannedRun run) {
    return config(run, Stage.TRAIN);
  }

  /**
   * The collapse columns from the training log, and whether the fine-tuning head diverged
   * from the finetune's log, as this version reads them.
   */
  @Override
  public Map<String, Object> refresh(PlannedRun run, Map<String, Object> row)
      throws IOException {
    Path log = new Path(run.runFolder(), MetricsLogFile.NAME);
    if (!"ok".equals(row.get("status")) || !log.getFileSystem(hadoop).exists(log)) {
      return row;
    }
    Map<String, Object> refreshed = new LinkedHashMap<>(row);
    refreshed.putAll(trainingColumns(log.toString()));
    Path finetuneLog = new Path(new Path(run.runFolder(),
        FinetuneConfig.from(config(run, Stage.FINETUNE)).folder()), MetricsLogFile.NAME);
    if (finetuneLog.getFileSystem(hadoop).exists(finetuneLog)) {
      Double last = TrainingLog.of(MetricsLogFile.read(finetuneLog, hadoop)).finalLoss();
      if (last != null) {
        refreshed.put("finetune_diverged", Finetune.diverged(last));
      }
    }
    return refreshed;
  }

  @Override
  public List<String> outputs(PlannedRun run, Stage stage) {
    switch (stage) {
      case EMBED:
        return List.of(EMBEDDINGS, VIEW_EMBEDDINGS);
      case PROBE:
        return List.of(ProbeCommand.RESULT);
      case FINETUNE:
        return List.of(FinetuneConfig.from(config(run, stage)).folder());
      case METRICS:
        return List.of(MetricsCommand.RESULT, "metrics.png");
      default:
        return List.of();
    }
  }

  /** Fine-tunes on the run's encoder; a stage that failed half-way is resumed. */
  private Map<String, Object> finetune(Config c, String folder) throws Exception {
    Path sub = new Path(folder, FinetuneConfig.from(c).folder());
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("from", folder);
    if (Checkpoint.latest(sub, hadoop) != null) {
      flags.put("resume", "true");
    }
    command("finetune", c, flags);
    return finetuneColumns(read(sub + "/" + Finetune.RESULTS));
  }

  static Map<String, Object> finetuneColumns(JsonNode results) {
    Map<String, Object> row = testColumns("finetune_", results);
    if (results.has("head_diverged")) {
      row.put("finetune_diverged", results.get("head_diverged").asBoolean());
    }
    return row;
  }

  /** The test split's classification scores of a probe or finetune result, prefixed. */
  private static Map<String, Object> testColumns(String prefix, JsonNode results) {
    Map<String, Object> row = new LinkedHashMap<>();
    JsonNode test = results.path("test");
    for (String k : List.of("accuracy", "balanced_accuracy", "auroc", "minority_f1",
        "macro_f1")) {
      row.put(prefix + k, number(test.get(k)));
    }
    return row;
  }

  /** The run's configuration with the shared dataset folder; ce runs measure the features. */
  private static Config config(PlannedRun run, Stage stage) {
    Config c = with(run.config(), "dataset.prepared", run.datasetFolder());
    if (run.method().equals("ce")) {
      c = with(c, "metrics.column", "feature");
    }
    return c;
  }

  private static Config with(Config c, String key, Object value) {
    return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, "sweep"))
        .withFallback(c);
  }

  private void command(String name, Config config, Map<String, String> flags) throws Exception {
    Command command = Commands.find(name).orElseThrow();
    Invocation inv = new Invocation(name, config, flags, List.of(), parent.out(), parent.err(),
        parent.verbose());
    int code = command.run(inv);
    if (code != Main.OK) {
      throw new IllegalStateException("ttc " + name + " exited with code " + code);
    }
  }

  private JsonNode read(String file) throws IOException {
    return Json.MAPPER.readTree(HadoopFiles.readString(new Path(file), hadoop));
  }

  /** collapsed, collapse_epoch, final_loss, collapsed_loss of the run's training log. */
  private Map<String, Object> trainingColumns(String log) throws IOException {
    return TrainingLog.of(MetricsLogFile.read(new Path(log), hadoop)).columns();
  }

  static Map<String, Object> probeColumns(JsonNode probe) {
    return testColumns("probe_", probe);
  }

  static Map<String, Object> metricColumns(JsonNode metrics) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (String k : List.of("saa", "cac", "sad", "cad", "gpu", "subtype_knn")) {
      if (metrics.has(k)) {
        row.put(k + "_0", number(metrics.get(k).get("0")));
        row.put(k + "_1", number(metrics.get(k).get("1")));
      }
    }
    return row;
  }

  private static Double number(JsonNode n) {
    return n == null || !n.isNumber() ? Double.NaN : n.asDouble();
  }
}
