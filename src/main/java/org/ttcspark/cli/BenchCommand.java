package org.ttcspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.augment.AugmentConfig;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.AllReduce;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.MetricsLogFile;
import org.ttcspark.train.PreparedImages;
import org.ttcspark.train.TrainConfig;
import org.ttcspark.train.bigdl.AllReduceBench;
import org.ttcspark.train.bigdl.Bench;
import org.ttcspark.train.bigdl.DistriTrainer;
import org.ttcspark.train.bigdl.Pretrain;
import org.ttcspark.train.bigdl.ScalingBench;
import org.ttcspark.train.scaling.ScalingConfig;

/**
 * {@code ttc bench}: training images per second (both views counted) after warm-up. Synthetic
 * mode times the bare model step (forward, loss, backward, SGD) on random tensors; dataset mode
 * runs one epoch of {@code pretrain} over {@code dataset.prepared} (augmentation, loss and
 * parameter sync) and averages the iterations after the warm-up, in the configured loss scope
 * or in each of {@code --scopes local,global} (with the global scope's overhead), with the
 * split of an iteration into its phases; allreduce mode times BigDL's all-reduce of the
 * model's parameter count over the executors, without a model; scaling mode measures the
 * terms of one iteration here and predicts its speed on N executors ({@link ScalingReport}).
 */
final class BenchCommand implements Command {
  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "measure training throughput (images/second) on synthetic tensors or a dataset, "
        + "or predict it on N executors";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("mode", "synthetic|dataset|allreduce|scaling", "bare model step on random "
            + "tensors (default), the full pretrain step over dataset.prepared, BigDL's "
            + "all-reduce alone for the model's parameter count over the executors, or the "
            + "terms of one iteration measured here and its predicted speed on 1-64 executors"),
        Flag.value("scopes", "local,global", "dataset mode: the loss scopes to measure, in "
            + "turn (default train.loss-scope); with both, the global scope's overhead"),
        Flag.value("bandwidth", "GBPS", "scaling mode: each executor's link in Gbit/s "
            + "(default train.bench.scaling.bandwidth-gbps)"),
        Flag.value("size", "PX", "synthetic image side in pixels (default 32)"),
        Flag.value("channels", "C", "synthetic image channels (default 3)"));
  }

  @Override
  public List<String> configSections() {
    return List.of("model", "train", "engine", "run");
  }

  /** {@code --mode allreduce}: the all-reduce of the model's parameters, without the model. */
  private static int allReduce(Invocation invocation, ModelConfig model, TrainConfig train,
      SparkRuntime spark) {
    int size = Integer.parseInt(invocation.flag("size").orElse("32"));
    int channels = Integer.parseInt(invocation.flag("channels").orElse("3"));
    long parameters = Bench.parameterCount(model, channels, size);
    int executors = DistriTrainer.partitions();
    AllReduceBench.Result r = AllReduceBench.run(
        new JavaSparkContext(spark.session().sparkContext()), Math.toIntExact(parameters),
        executors, train.benchWarmUp(), train.benchIterations());
    invocation.out().printf("bench allreduce %s (%d parameters) over %d executor(s), fp16, "
        + "%.1f MB in and out of each executor: per iteration %.3f s (mean of %d after %d "
        + "warm-up): get weights %.3f s, put gradients %.3f s, aggregate gradients %.3f s, "
        + "send weights %.3f s%n", model.backbone().name().toLowerCase(), parameters, executors,
        AllReduce.bytesPerExecutor(parameters, executors) / 1e6, r.iteration(),
        train.benchIterations(), train.benchWarmUp(), r.getWeights(), r.putGradients(),
        r.aggregateGradients(), r.sendWeights());
    return Main.OK;
  }

  /**
   * {@code --mode scaling}: measures the terms of one iteration in this process and prints
   * the predicted throughput and efficiency on {@code train.bench.scaling.executors}.
   */
  private static int scaling(Invocation invocation, ModelConfig model, TrainConfig train,
      SparkRuntime spark) {
    int size = Integer.parseInt(invocation.flag("size").orElse("32"));
    int channels = Integer.parseInt(invocation.flag("channels").orElse("3"));
    ScalingConfig cfg = ScalingConfig.from(invocation.config());
    if (org.ttcspark.platform.RuntimeConfig.from(invocation.config()).engineType()
        == org.ttcspark.platform.EngineType.TORCH) {
      throw new UsageException("--mode scaling times BigDL's own step (engine.type = mkldnn or "
          + "mklblas); the torch engine is not modelled: set engine.type=mkldnn, or time the "
          + "torch step with --mode synthetic");
    }
    if (invocation.flag("bandwidth").isPresent()) {
      String value = invocation.flag("bandwidth").get();
      try {
        cfg = cfg.withBandwidth(Double.parseDouble(value));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--bandwidth takes a positive number of Gbit/s, e.g. "
            + "--bandwidth 10, not " + value);
      }
    }
    int manyTasks = Math.max(2, cfg.executors().get(cfg.executors().size() - 1));
    ScalingBench.Terms terms = ScalingBench.measure(
        new JavaSparkContext(spark.session().sparkContext()), model, channels, size,
        DistriTrainer.partitions(), cfg.smallBatch(), cfg.largeBatch(), train.batchSize(),
        manyTasks, train.benchWarmUp(), train.benchIterations(), invocation.run().seed());
    String what = String.format("%s %s-stem width %d %dpx engine %s",
        model.backbone().name().toLowerCase(), model.stemFor(size).name().toLowerCase(),
        model.width(), size, SparkRuntime.engineInUse().property());
    ScalingReport.print(invocation.out(), what, train.batchSize(), train.globalPrecision(),
        terms, cfg, train.benchWarmUp(), train.benchIterations(), model.projectionDim());
    return Main.OK;
  }

  /** Mean of a numeric column over metrics rows (NaN if none has it). */
  private static double mean(List<JsonNode> rows, String column) {
    return rows.stream().filter(r -> r.path(column).isNumber())
        .mapToDouble(r -> r.get(column).asDouble()).average().orElse(Double.NaN);
  }

  @Override
  public int run(Invocation invocation) throws Exception {
    String mode = invocation.flag("mode").orElse("synthetic");
    TrainConfig train = TrainConfig.from(invocation.config());
    ModelConfig model = ModelConfig.from(invocation.config());
    SparkRuntime spark = invocation.spark();
    if (mode.equals("synthetic")) {
      int size = Integer.parseInt(invocation.flag("size").orElse("32"));
      int channels = Integer.parseInt(invocation.flag("channels").orElse("3"));
      org.ttcspark.platform.RuntimeConfig rc =
          org.ttcspark.platform.RuntimeConfig.from(invocation.config());
      List<Bench.Result> results = new ArrayList<>();
      results.add(bareStep(invocation, model, train, channels, size));
      if (rc.engineType() == org.ttcspark.platform.EngineType.TORCH) {
        // PyTorch next to BigDL's fastest engine, on the same model and input
        org.ttcspark.platform.EngineType before = SparkRuntime.engineInUse();
        SparkRuntime.useEngine(org.ttcspark.platform.EngineType.MKLDNN);
        try {
          results.add(Bench.synthetic(model, channels, size, train.batchSize(),
              train.benchWarmUp(), train.benchIterations(), invocation.run().seed()));
        } finally {
          SparkRuntime.useEngine(before);
        }
      }
      for (Bench.Result r : results) {
        String engine = r.engine() == org.ttcspark.platform.EngineType.TORCH
            ? "torch (" + rc.device() + ", " + rc.precision().key() + ")"
            : r.engine().property();
        invocation.out().printf("bench synthetic %s %s-stem %dpx batch %d (x2 views) engine %s: "
            + "%.1f images/s (%d iterations in %.2f s after %d warm-up); %d parameters%n",
            model.backbone().name().toLowerCase(), model.stemFor(size).name().toLowerCase(),
            size, train.batchSize(), engine, r.imagesPerSecond(), train.benchIterations(),
            r.seconds(), train.benchWarmUp(), r.parameters());
        Bench.Phases p = r.phases();
        invocation.out().printf("  per iteration: forward %.3f s, loss %.3f s, backward %.3f s, "
            + "update %.3f s%n", p.forward(), p.loss(), p.backward(), p.update());
      }
      return Main.OK;
    }
    if (mode.equals("allreduce")) {
      return allReduce(invocation, model, train, spark);
    }
    if (mode.equals("scaling")) {
      return scaling(invocation, model, train, spark);
    }
    if (!mode.equals("dataset")) {
      throw new UsageException("--mode must be synthetic, dataset, allreduce or scaling, not "
          + mode);
    }
    List<String> scopes = List.of(invocation.flag("scopes")
        .orElse(invocation.config().getString("train.loss-scope")).split(","));
    PreparedImages images = PreparedImages.open(invocation.config().getString("dataset.prepared"),
        spark.session().sparkContext().hadoopConfiguration());
    int size = AugmentConfig.from(invocation.config()).sizeFor(images.imageSize());
    // the bare step of the same model and batch in this process, before the full steps and
    // after: the machine's speed drifts between processes by more than the gap measured
    Bench.Result before = size < 1 ? null
        : bareStep(invocation, model, train, images.channels(), size);
    List<Double> rates = new ArrayList<>();
    for (String scope : scopes) {
      Double rate = datasetRate(invocation, train, model, scope.trim());
      if (rate == null) {
        return Main.FAILED;
      }
      rates.add(rate);
    }
    if (rates.size() == 2 && scopes.get(0).trim().equals("local")) {
      invocation.out().printf("global scope overhead: %.1f %% (%.1f vs %.1f images/s)%n",
          100 * (rates.get(0) / rates.get(1) - 1), rates.get(1), rates.get(0));
    }
    if (before != null) {
      Bench.Result after = bareStep(invocation, model, train, images.channels(), size);
      double bare = (before.imagesPerSecond() + after.imagesPerSecond()) / 2;
      StringBuilder shares = new StringBuilder();
      for (int i = 0; i < rates.size(); i++) {
        shares.append(String.format("; %s scope %.0f %% of it", scopes.get(i).trim(),
            100 * rates.get(i) / bare));
      }
      invocation.out().printf("bare step, same model and batch, this process: %.1f images/s "
          + "before, %.1f after, mean %.1f%s%n", before.imagesPerSecond(),
          after.imagesPerSecond(), bare, shares);
    }
    return Main.OK;
  }

  /** The bare step on random input with the engine in use (PyTorch or BigDL's). */
  private static Bench.Result bareStep(Invocation invocation, ModelConfig model,
      TrainConfig train, int channels, int size) {
    org.ttcspark.platform.RuntimeConfig rc =
        org.ttcspark.platform.RuntimeConfig.from(invocation.config());
    return rc.engineType() == org.ttcspark.platform.EngineType.TORCH
        ? Bench.torch(model, channels, size, train.batchSize(), train.benchWarmUp(),
            train.benchIterations(), invocation.run().seed(), rc)
        : Bench.synthetic(model, channels, size, train.batchSize(), train.benchWarmUp(),
            train.benchIterations(), invocation.run().seed());
  }

  /** One epoch of pretrain in {@code scope}; its images/s after warm-up, null if none. */
  private static Double datasetRate(Invocation invocation, TrainConfig train, ModelConfig model,
      String scope) throws Exception {
    if (!scope.equals("local") && !scope.equals("global")) {
      throw new UsageException("--scopes takes local and/or global, not " + scope);
    }
    Config config = invocation.config()
        .withValue("train.epochs", ConfigValueFactory.fromAnyRef(1))
        .withValue("train.loss-scope", ConfigValueFactory.fromAnyRef(scope))
        .withValue("run.name", ConfigValueFactory.fromAnyRef(
            RunConfig.from(invocation.config()).nameFor("bench-" + scope)));
    SparkRuntime spark = invocation.spark();
    Configuration hadoop = spark.session().sparkContext().hadoopConfiguration();
    RunFolder run = RunFolder.create("bench", config, hadoop);
    Checkpoint last = Pretrain.run(spark.session(), config, run, false, invocation.out());
    List<JsonNode> measured = new ArrayList<>();
    for (JsonNode row : MetricsLogFile.read(MetricsLogFile.in(run.path()), hadoop)) {
      // validation lines (train.validation) carry no throughput
      if (row.has("images_per_s") && row.get("iteration").asInt() > train.benchWarmUp()) {
        measured.add(row);
      }
    }
    if (measured.isEmpty()) {
      invocation.err().println("bench: the epoch had no iterations after the " + train.benchWarmUp()
          + " warm-up ones; use a larger dataset or lower train.bench.warm-up");
      return null;
    }
    long parameters = ModuleFiles.load(new Path(Checkpoint.folder(run.path(), last.epoch()),
        Checkpoint.MODEL), hadoop).getParameters()._1().nElement();
    int executors = DistriTrainer.partitions();
    double[] seconds = measured.stream().mapToDouble(r -> r.get("iteration_s").asDouble())
        .sorted().toArray();
    // images over time, as the bare step counts: a mean of per-iteration rates would let the
    // fast iterations outweigh the slow ones
    double rate = 2.0 * train.batchSize() * seconds.length / Arrays.stream(seconds).sum();
    invocation.out().printf("bench dataset %s batch %d (x2 views) engine %s scope %s on %d "
        + "executor(s): %.1f images/s (%d iterations in %.2f s after %d warm-up; run %s)%n",
        model.backbone().name().toLowerCase(), train.batchSize(),
        SparkRuntime.engineInUse().property(), scope, executors, rate, seconds.length,
        Arrays.stream(seconds).sum(), train.benchWarmUp(), run.path());
    StringBuilder phases = new StringBuilder();
    measured.get(0).fieldNames().forEachRemaining(f -> {
      if (f.endsWith("_s") && !f.equals("elapsed_s") && !f.equals("iteration_s")
          && !f.equals("images_per_s")) {
        phases.append(String.format(", %s %.3f s", f.substring(0, f.length() - 2),
            mean(measured, f)));
      }
    });
    invocation.out().printf("per iteration %.3f s (median %.3f s)%s; %d parameters, all-reduce "
        + "moves %.1f MB in and out of each executor (%s)%n", mean(measured, "iteration_s"),
        seconds[seconds.length / 2], phases, parameters,
        AllReduce.bytesPerExecutor(parameters, executors) / 1e6,
        scope.equals("global") && train.globalPrecision().equals("fp32") ? "fp32: twice that"
            : "fp16");
    return rate;
  }
}
