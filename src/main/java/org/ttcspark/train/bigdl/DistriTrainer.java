package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.dataset.DistributedDataSet;
import com.intel.analytics.bigdl.dataset.MiniBatch;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.DistriOptimizer;
import com.intel.analytics.bigdl.optim.OptimMethod;
import com.intel.analytics.bigdl.utils.Engine$;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.ttcspark.model.bigdl.DnnWeights;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The epochs of local loss scope: a BigDL model trained by DistriOptimizer (synchronous SGD,
 * parameters all-reduced through the block manager), one {@code optimize()} call per epoch so
 * that every epoch gets fresh augmentation seeds and what the {@link LossSeam} gives it
 * (criterion, SBCL's cluster ids); the optimiser keeps its per-executor state (momentum)
 * between the calls ({@code reserveOptim}), which every checkpoint saves and which is installed
 * again on resume and whenever the training data is rebuilt ({@link OptimState}). The loop
 * around the epochs is {@link EpochLoop}'s.
 */
public final class DistriTrainer extends EpochStepper {
  private final int batchSize;
  private final int perPartition;
  private final long seed;
  private final int views;
  private final SliceSchedule layout;
  private final List<JavaRDD<?>> installed = new ArrayList<>();
  private DistriOptimizer<Object> opt;
  private JavaRDD<TrainSample> current;
  private SeededDataSet base;

  /**
   * @param model the plain BigDL model (what checkpoints store; receives the trained weights)
   * @param optim the optimiser (its state's epoch and neval say where training stands)
   * @param batchSize global batch in samples
   * @param seed run seed (augmentation draws)
   * @param views views per sample (2 contrastive, 1 cross-entropy)
   */
  public DistriTrainer(AbstractModule<Activity, Activity, Object> model, OptimMethod<Object> optim,
      int batchSize, long seed, int views) {
    super(model, optim);
    this.views = views;
    this.batchSize = batchSize;
    this.perPartition = batchSize / partitions();
    this.seed = seed;
    this.layout = SliceSchedule.of(batchSize, partitions(), seed);
  }

  /** Model copies per partition: MklBlas keeps one replica per core, MklDnn one model. */
  public static int replicasPerPartition() {
    return SparkRuntime.engineInUse() == EngineType.MKLDNN ? 1 : Engine$.MODULE$.coreNumber();
  }

  /** Partitions the training data is spread over: one per BigDL node (executor). */
  public static int partitions() {
    return Engine$.MODULE$.nodeNumber();
  }

  @Override
  int batchSize() {
    return batchSize;
  }

  @Override
  void trainEpoch(int epoch, LossSeam.Epoch inputs, ViewSource trainViews,
      MetricsLog log) {
    boolean rebuilt = inputs.samples() != current;
    if (rebuilt) {
      if (base != null) {
        base.unpersist();
      }
      current = inputs.samples();
      base = SeededDataSet.of(current, layout);
    }
    long firstStep = ((Number) optim.state().apply("neval")).longValue();
    DistributedDataSet<MiniBatch<Object>> data =
        epochData(base.epoch(epoch, firstStep), perPartition, trainViews, epoch);
    if (opt == null) {
      opt = new DistriOptimizer<>(trainModel, data, inputs.criterion(), Bigdl.FLOAT,
          Bigdl.NUMERIC);
      log.timings(opt.metrics());
      if (current.context().isLocal()) {
        log.viewTime(ViewBatcher::viewNanos, ViewBatcher::batchesTaken);
      }
      BatchStatsCollector collector = new BatchStatsCollector(current.context());
      opt.parameterProcessors().$plus$eq(collector);
      log.collectFrom(collector);
      opt.setOptimMethod(optim);
      opt.reserveOptim(true);
    } else {
      opt.dataset_$eq(data);
      opt.setCriterion(inputs.criterion());
    }
    if (rebuilt && carried != null) {
      base.cache();
      installed.add(carried.scatter(opt, base.originRDD(), optim, trainModel.getName()));
    }
    opt.setEndWhen(SeededDataSet.stamping(log, current.context()));
    opt.optimize();
    DnnWeights.copyInto(trainModel, model);
    carried = OptimState.gather(opt, optim, engine());
  }

  @Override
  long iterationsDone() {
    return ((Number) optim.state().apply("neval")).longValue() - 1;
  }

  @Override
  double learningRate() {
    return Math.abs(optim.getLearningRate());
  }

  @Override
  OptimState optimState() {
    return carried;
  }

  @Override
  int validationBatch() {
    return perPartition / replicasPerPartition();
  }

  @Override
  public void close() {
    installed.forEach(JavaRDD::unpersist);
    if (base != null) {
      base.unpersist();
    }
  }

  @Override
  String stateEngine() {
    return engine();
  }

  static String engine() {
    return SparkRuntime.engineInUse().name().toLowerCase();
  }

  @SuppressWarnings("unchecked")
  private DistributedDataSet<MiniBatch<Object>> epochData(DistributedDataSet<TrainSample> base,
      int perPartition, ViewSource views, int epoch) {
    return (DistributedDataSet<MiniBatch<Object>>) (Object) base.transform(
        new ViewBatcher(perPartition, views, seed, epoch, this.views)
            .prefetching(prefetch), tag(MiniBatch.class));
  }

  @SuppressWarnings("unchecked")
  private static <T> ClassTag<T> tag(Class<?> c) {
    return (ClassTag<T>) ClassTag$.MODULE$.apply(c);
  }
}
