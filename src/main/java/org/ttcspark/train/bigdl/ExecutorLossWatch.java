package org.ttcspark.train.bigdl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the executors while a model trains and cancels the training jobs as soon as one is
 * removed.
 *
 * <p>Why not let Spark recover: BigDL 0.13's DistriOptimizer retries only when its own
 * checkpointing ({@code setCheckpoint}) is on, which ttc-spark does not use (it checkpoints per
 * epoch in module format). Spark would re-run the lost tasks elsewhere, but recomputing the lost
 * partition of the optimiser's cached models re-initialises that executor's parameter slice from
 * the weights broadcast at the start of the epoch, so training would go on with part of the
 * model silently set back; on Java 17 the re-run of shuffle map tasks also fails inside Spark
 * 2.4 (README, "Running on a cluster"). Stopping at once and resuming from the last checkpoint
 * is the only way that keeps the parameters consistent, and it is quick.
 */
final class ExecutorLossWatch extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorLossWatch.class);

  private final SparkContext sc;
  private final String jobGroup;
  private final Map<String, String> hosts = new ConcurrentHashMap<>();
  private volatile Loss loss;

  /** What was lost: the executor ("id on host"), Spark's reason, and when (epoch millis). */
  record Loss(String executor, String reason, long time) {}

  /**
   * Registers the watch; the training jobs must run in {@code jobGroup} (set by
   * {@link #trainingJobs()} on the driver thread).
   */
  ExecutorLossWatch(SparkContext sc, String jobGroup) {
    this.sc = sc;
    this.jobGroup = jobGroup;
    sc.addSparkListener(this);
  }

  /** Puts the calling thread's next jobs into the watched group (interrupting none). */
  void trainingJobs() {
    sc.setJobGroup(jobGroup, "ttc training", false);
  }

  /** The first executor removed since the watch started, or null. */
  Loss loss() {
    return loss;
  }

  @Override
  public void onExecutorAdded(SparkListenerExecutorAdded e) {
    hosts.put(e.executorId(), e.executorInfo().executorHost());
  }

  /** Executors that existed before the watch are seen through their training tasks. */
  @Override
  public void onTaskStart(SparkListenerTaskStart e) {
    hosts.putIfAbsent(e.taskInfo().executorId(), e.taskInfo().host());
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
    if (loss != null) {
      return;
    }
    String host = hosts.getOrDefault(e.executorId(), "?");
    loss = new Loss(e.executorId() + ("?".equals(host) ? "" : " on " + host), e.reason(),
        e.time());
    LOG.error("executor {} removed ({}); cancelling the training jobs", loss.executor(),
        e.reason());
    sc.cancelJobGroup(jobGroup);
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
    sc.clearJobGroup();
  }
}
