package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.DistriOptimizer;
import com.intel.analytics.bigdl.optim.Metrics;
import com.intel.analytics.bigdl.parameters.AllReduceParameter;
import com.intel.analytics.bigdl.parameters.ParameterProcessor;
import com.intel.analytics.bigdl.tensor.TensorNumericMath;
import com.intel.analytics.bigdl.utils.Table;
import org.apache.spark.SparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.train.BatchStats;

/**
 * Brings the batch statistics of local scope ({@link BatchStats}) from the executors to the
 * driver, iteration by iteration. DistriOptimizer computes the loss on the executors, in its
 * own thread pool, and carries only the loss back (one accumulator); its model-cache RDD holds
 * the criteria across iterations, so an accumulator inside a criterion would report to the
 * task that first deserialised it and never again. Its parameter processors, though, are
 * serialised into every iteration's update job and handed each partition's model cache, whose
 * criteria have just run this iteration's forward: this processor reads their
 * {@link ContrastiveCriterion#takeBatchStats} there and adds them to accumulators that Spark
 * returns with that job. The driver's {@link MetricsLog}, which DistriOptimizer asks before
 * the next iteration, then {@link #take}s the means. Costs nothing on the executors beyond a
 * few additions; the statistics themselves are computed with the loss (O(rows x dim)).
 */
public final class BatchStatsCollector implements ParameterProcessor {
  private static final long serialVersionUID = 1L;

  private final DoubleAccumulator cosineSum;
  private final LongAccumulator cosineCount;
  private final DoubleAccumulator collapsedSum;
  private final LongAccumulator collapsedCount;

  /** Registers its accumulators with {@code sc}; call on the driver. */
  public BatchStatsCollector(SparkContext sc) {
    cosineSum = sc.doubleAccumulator("ttc batch mean cosine");
    cosineCount = sc.longAccumulator("ttc batch mean cosine count");
    collapsedSum = sc.doubleAccumulator("ttc collapsed loss");
    collapsedCount = sc.longAccumulator("ttc collapsed loss count");
  }

  /**
   * The means over the model copies of the iterations since the last call, and starts afresh.
   * Driver only.
   */
  public BatchStats take() {
    BatchStats s = new BatchStats(mean(cosineSum, cosineCount), mean(collapsedSum,
        collapsedCount));
    cosineSum.reset();
    cosineCount.reset();
    collapsedSum.reset();
    collapsedCount.reset();
    return s;
  }

  private static Double mean(DoubleAccumulator sum, LongAccumulator count) {
    return count.value() == 0 ? null : sum.value() / count.value();
  }

  @Override
  public <T> void processParameters(AllReduceParameter<T> parameters,
      DistriOptimizer.Cache<T> modelCache, Table state,
      TensorNumericMath.TensorNumeric<T> ev) {
    for (AbstractCriterion<Activity, Activity, T> c : modelCache.localCriterions()) {
      if ((Object) c instanceof ContrastiveCriterion cc) {
        double[] s = cc.takeBatchStats();
        if (s == null) {
          continue;
        }
        if (!Double.isNaN(s[0])) {
          cosineSum.add(s[0]);
          cosineCount.add(1);
        }
        if (!Double.isNaN(s[1])) {
          collapsedSum.add(s[1]);
          collapsedCount.add(1);
        }
      }
    }
  }

  @Override
  public <T> void collectGlobalData(RDD<DistriOptimizer.Cache<T>> models,
      AllReduceParameter<T> parameters, Metrics metrics, Table state,
      TensorNumericMath.TensorNumeric<T> ev) {
    // nothing to gather before the update
  }

  @Override
  public <T> void processParameters(AbstractModule<Activity, Activity, T> model, Table state,
      TensorNumericMath.TensorNumeric<T> ev) {
    // LocalOptimizer only; the trainers use DistriOptimizer
  }
}
