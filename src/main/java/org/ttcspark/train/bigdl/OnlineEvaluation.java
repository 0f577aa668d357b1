package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.train.OnlineEvalConfig;
import org.ttcspark.train.OnlineKnn;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;
import org.ttcspark.train.bigdl.TrainProjections.Projected;

/**
 * The per-epoch online evaluation ({@code train.online-eval}): the val split embedded on the
 * executors exactly as {@code ttc embed} and the probe will see it (evaluation transform,
 * evaluation mode, unit length: {@link TrainProjections}), then a leave-one-out k-NN on the
 * driver ({@link OnlineKnn}). It shows during training whether the encoder separates the
 * classes and the majority's sub-types, which the training loss alone does not (a collapsed
 * SupCon encoder has a low-looking loss and chance-level k-NN).
 */
public final class OnlineEvaluation {
  private final JavaRDD<TrainSample> val;
  private final Map<String, Integer> subtypes;
  private final ViewSource evalViews;
  private final OnlineEvalConfig config;
  private final int lastEpoch;

  /**
   * @param val the val split (cached by the caller), at least 2 samples
   * @param subtypes sub-type per val image id; empty when the dataset has none
   * @param evalViews the evaluation transform with the manifest's normalisation
   * @param lastEpoch the run's last epoch (always evaluated)
   */
  public OnlineEvaluation(JavaRDD<TrainSample> val, Map<String, Integer> subtypes,
      ViewSource evalViews, OnlineEvalConfig config, int lastEpoch) {
    this.val = val;
    this.subtypes = subtypes;
    this.evalViews = evalViews;
    this.config = config;
    this.lastEpoch = lastEpoch;
  }

  /** One val row on the driver. */
  private record Row(String id, int label, float[] z) implements Serializable {}

  /**
   * Evaluates {@code model} after {@code epoch} if due, and logs the scores.
   *
   * @param model the plain model holding the trained weights (not modified)
   * @param iteration iterations done
   */
  public void after(int epoch, long iteration, AbstractModule<Activity, Activity, Object> model,
      MetricsLog log) {
    if (!config.due(epoch, lastEpoch)) {
      return;
    }
    JavaRDD<Projected> projected = TrainProjections.of(val, model, evalViews,
        EvalForward.Plan.current());
    List<Row> rows;
    try {
      rows = new ArrayList<>(projected.map(p -> new Row(p.sample().id(), p.sample().label(),
          p.z())).collect());
    } finally {
      projected.unpersist();
    }
    // a fixed order, whatever the partitions returned: ties in the vote break by index
    rows.sort(Comparator.comparing(Row::id));
    int n = rows.size();
    float[][] z = new float[n][];
    int[] labels = new int[n];
    int[] sub = subtypes.isEmpty() ? null : new int[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      z[i] = r.z();
      labels[i] = r.label();
      if (sub != null) {
        sub[i] = subtypes.getOrDefault(r.id(), -1);
      }
    }
    log.onlineEval(epoch, iteration, OnlineKnn.leaveOneOut(z, labels, sub, config.k()));
  }
}
