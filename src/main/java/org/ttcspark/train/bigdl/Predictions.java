package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.ttcspark.metrics.ClassificationMetrics;
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.model.bigdl.SharedEvalModel;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * A two-class classifier's scores on a split: the evaluation view of every sample, forwarded in
 * batches on the executors (the executor's evaluation copy of the model, {@link EvalForward}),
 * then the softmax probability of class 1 collected to the driver with the labels.
 */
final class Predictions {
  private Predictions() {}

  /**
   * Scores {@code samples} and measures them.
   *
   * @param plan engine and images per forward
   * @param minorityClass the class whose F1 is the minority F1
   */
  static ClassificationMetrics measure(JavaRDD<TrainSample> samples,
      AbstractModule<Activity, Activity, Object> model, ViewSource views, EvalForward.Plan plan,
      int minorityClass) {
    SharedEvalModel shared = SharedEvalModel.of(samples.context(), model, plan);
    int batch = plan.batch();
    List<double[]> scored;
    try {
      scored = samples.mapPartitions(it -> {
        List<double[]> out = new ArrayList<>();
        try (EvalForward m = shared.open()) {
          List<TrainSample> pending = new ArrayList<>();
          while (it.hasNext()) {
            pending.add(it.next());
            if (pending.size() == batch || !it.hasNext()) {
              score(m, pending, views, out);
              pending.clear();
            }
          }
        }
        return out.iterator();
      }).collect();
    } finally {
      shared.close(false);
    }
    int n = scored.size();
    int[] truth = new int[n];
    int[] predicted = new int[n];
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      truth[i] = (int) scored.get(i)[0];
      score[i] = scored.get(i)[1];
      predicted[i] = score[i] > 0.5 ? 1 : 0;
    }
    return ClassificationMetrics.of(truth, predicted, score, minorityClass);
  }

  /** Appends {label, p(class 1)} per sample; logits {@code [n, 2]} through a stable softmax. */
  private static void score(EvalForward model, List<TrainSample> batch, ViewSource views,
      List<double[]> out) {
    float[] logits = TrainProjections.forward(model, batch, views, 0L);
    for (int i = 0; i < batch.size(); i++) {
      double a = logits[2 * i];
      double b = logits[2 * i + 1];
      out.add(new double[] {batch.get(i).label(), 1 / (1 + Math.exp(a - b))});
    }
  }
}
