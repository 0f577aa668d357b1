package org.ttcspark.model.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.Serializable;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A trained model shipped to the executors for evaluation-mode forwards: broadcast once, made
 * into one {@link EvalForward} per executor JVM on first use. Created and closed on the driver;
 * captured by the tasks' closures.
 */
public final class SharedEvalModel implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Broadcast<AbstractModule<Activity, Activity, Object>> model;
  private final String job;
  private final EvalForward.Plan plan;

  private SharedEvalModel(Broadcast<AbstractModule<Activity, Activity, Object>> model,
      EvalForward.Plan plan) {
    this.model = model;
    this.job = UUID.randomUUID().toString();
    this.plan = plan;
  }

  /**
   * Broadcasts {@code model} (not modified: executors evaluate a copy).
   *
   * @param plan engine and forward batch, from {@link EvalForward.Plan#current()} or
   *     {@link EvalForward.Plan#of}
   */
  public static SharedEvalModel of(SparkContext sc, AbstractModule<Activity, Activity, Object> model,
      EvalForward.Plan plan) {
    return new SharedEvalModel(JavaSparkContext.fromSparkContext(sc).broadcast(model), plan);
  }

  /** On an executor: this JVM's evaluation copy of the whole model; close it after the task. */
  public EvalForward open() {
    return EvalForward.acquire(job, "model", model::value, plan);
  }

  /**
   * On an executor: this JVM's evaluation copy of a part of the model (embed forwards the
   * backbone and the head apart), with its own plan.
   *
   * @param part names the part within this model
   * @param select picks the part out of the broadcast model
   */
  public EvalForward open(String part, java.util.function.UnaryOperator<
      AbstractModule<Activity, Activity, Object>> select, EvalForward.Plan partPlan) {
    return EvalForward.acquire(job, part, () -> select.apply(model.value()), partPlan);
  }

  /** The plan the executors run with. */
  public EvalForward.Plan plan() {
    return plan;
  }

  /**
   * Releases the driver's copies (local mode) and the broadcast.
   *
   * @param keepBroadcast true when a cached RDD computed with this model may be recomputed
   *     later (its lineage still reads the broadcast): only unpersist it
   */
  public void close(boolean keepBroadcast) {
    EvalForward.release(job);
    if (keepBroadcast) {
      model.unpersist(false);
    } else {
      model.destroy();
    }
  }
}
