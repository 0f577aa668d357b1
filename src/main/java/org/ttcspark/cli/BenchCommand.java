package org.ttcspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.AllReduce;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.TrainConfig;
import org.ttcspark.train.bigdl.AllReduceBench;
import org.ttcspark.train.bigdl.Bench;
import org.ttcspark.train.bigdl.DistriTrainer;
import org.ttcspark.train.bigdl.Pretrain;

/**
 * {@code ttc bench}: training images per second (both views counted) after warm-up. Synthetic
 * mode times the bare model step (forward, loss, backward, SGD) on random tensors; dataset mode
 * runs one epoch of {@code pretrain} over {@code dataset.prepared} (augmentation, loss and
 * parameter sync through DistriOptimizer) and averages the iterations after the warm-up, with
 * the optimiser's own split of an iteration into compute and parameter sync; allreduce mode
 * times BigDL's all-reduce of the model's parameter count over the executors, without a model.
 */
final class BenchCommand implements Command {
  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String summary() {
    return "measure training throughput (images/second) on synthetic tensors or a dataset";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("mode", "synthetic|dataset|allreduce", "bare model step on random tensors "
            + "(default), the full pretrain step over dataset.prepared, or BigDL's all-reduce "
            + "alone for the model's parameter count over the executors"),
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
      Bench.Result r = Bench.synthetic(model, channels, size, train.batchSize(),
          train.benchWarmUp(), train.benchIterations(), invocation.run().seed());
      invocation.out().printf("bench synthetic %s %s-stem %dpx batch %d (x2 views) engine %s: "
          + "%.1f images/s (%d iterations in %.2f s after %d warm-up); %d parameters%n",
          model.backbone().name().toLowerCase(), model.stemFor(size).name().toLowerCase(), size,
          train.batchSize(), r.engine().property(), r.imagesPerSecond(), train.benchIterations(),
          r.seconds(), train.benchWarmUp(), r.parameters());
      return Main.OK;
    }
    if (mode.equals("allreduce")) {
      return allReduce(invocation, model, train, spark);
    }
    if (!mode.equals("dataset")) {
      throw new UsageException("--mode must be synthetic, dataset or allreduce, not " + mode);
    }
    Config config = invocation.config()
        .withValue("train.epochs", ConfigValueFactory.fromAnyRef(1))
        .withValue("run.name", ConfigValueFactory.fromAnyRef(
            RunConfig.from(invocation.config()).nameFor("bench")));
    Configuration hadoop = spark.session().sparkContext().hadoopConfiguration();
    RunFolder run = RunFolder.create("bench", config, hadoop);
    Checkpoint last = Pretrain.run(spark.session(), config, run, false, invocation.out());
    List<JsonNode> measured = new ArrayList<>();
    for (String line : HadoopFiles.readString(run.file("metrics.jsonl"), hadoop).split("\n")) {
      if (!line.isBlank()) {
        JsonNode row = Json.MAPPER.readTree(line);
        if (row.get("iteration").asInt() > train.benchWarmUp()) {
          measured.add(row);
        }
      }
    }
    if (measured.isEmpty()) {
      invocation.err().println("bench: the epoch had no iterations after the " + train.benchWarmUp()
          + " warm-up ones; use a larger dataset or lower train.bench.warm-up");
      return Main.FAILED;
    }
    long parameters = ModuleFiles.load(new Path(Checkpoint.folder(run.path(), last.epoch()),
        Checkpoint.MODEL), hadoop).getParameters()._1().nElement();
    int executors = DistriTrainer.partitions();
    invocation.out().printf("bench dataset %s batch %d (x2 views) engine %s on %d executor(s): "
        + "%.1f images/s (mean of %d iterations after %d warm-up; run %s)%n",
        model.backbone().name().toLowerCase(), train.batchSize(),
        SparkRuntime.engineInUse().property(), executors, mean(measured, "images_per_s"),
        measured.size(), train.benchWarmUp(), run.path());
    invocation.out().printf("per iteration %.3f s: compute %.3f s, weights sync %.3f s, "
        + "gradients sync %.3f s; %d parameters, all-reduce moves %.1f MB in and out of each "
        + "executor (fp16)%n", mean(measured, "iteration_s"), mean(measured, "compute_s"),
        mean(measured, "weights_sync_s"), mean(measured, "gradients_sync_s"), parameters,
        AllReduce.bytesPerExecutor(parameters, executors) / 1e6);
    return Main.OK;
  }
}
