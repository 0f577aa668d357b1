package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ttcspark.metrics.ClassificationMetrics;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * A two-class classifier's scores on a split: the evaluation view of every sample, forwarded in
 * batches on the executors (model broadcast once, cloned per task, in evaluation mode), then
 * the softmax probability of class 1 collected to the driver with the labels.
 */
final class Predictions {
  private static final int BATCH = 64;

  private Predictions() {}

  /**
   * Scores {@code samples} and measures them.
   *
   * @param minorityClass the class whose F1 is the minority F1
   */
  static ClassificationMetrics measure(JavaRDD<TrainSample> samples,
      AbstractModule<Activity, Activity, Object> model, ViewSource views, int minorityClass) {
    int cores = Engine$.MODULE$.coreNumber();
    Broadcast<AbstractModule<Activity, Activity, Object>> shared =
        JavaSparkContext.fromSparkContext(samples.context()).broadcast(model);
    List<double[]> scored;
    try {
      scored = samples.mapPartitions(it -> {
        ensureEngine(cores);
        AbstractModule<Activity, Activity, Object> m = shared.value().cloneModule();
        m.evaluate();
        List<double[]> out = new ArrayList<>();
        List<TrainSample> pending = new ArrayList<>();
        while (it.hasNext()) {
          pending.add(it.next());
          if (pending.size() == BATCH || !it.hasNext()) {
            score(m, pending, views, out);
            pending.clear();
          }
        }
        return out.iterator();
      }).collect();
    } finally {
      shared.destroy();
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
  @SuppressWarnings("unchecked")
  private static void score(AbstractModule<Activity, Activity, Object> model,
      List<TrainSample> batch, ViewSource views, List<double[]> out) {
    int n = batch.size();
    int channels = views.channels(batch.get(0));
    int side = views.size();
    int plane = channels * side * side;
    float[] x = new float[n * plane];
    for (int i = 0; i < n; i++) {
      System.arraycopy(views.view(batch.get(i), 0L), 0, x, i * plane, plane);
    }
    float[] logits = Bigdl.toArray((Tensor<Object>) model.forward(
        Bigdl.tensor(x, n, channels, side, side)));
    for (int i = 0; i < n; i++) {
      double a = logits[2 * i];
      double b = logits[2 * i + 1];
      out.add(new double[] {batch.get(i).label(), 1 / (1 + Math.exp(a - b))});
    }
  }

  /** BigDL's thread pools must exist in an executor JVM before a layer runs. */
  private static void ensureEngine(int cores) {
    try {
      Engine$.MODULE$.coreNumber();
    } catch (RuntimeException notInitialised) {
      Engine$.MODULE$.setNodeAndCore(1, Math.max(1, cores));
    }
  }
}
