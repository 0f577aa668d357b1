package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.model.bigdl.SharedEvalModel;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * The projections of training samples under the model as trained so far, computed on the
 * executors: every sample's evaluation view (normalised as in training) is forwarded in batches
 * through the executor's evaluation copy of the model ({@link EvalForward}: BatchNorm uses its
 * running statistics), and the output is scaled to unit length. What SBCL clusters and what data
 * prototypes are computed from.
 */
public final class TrainProjections {
  private TrainProjections() {}

  /**
   * A sample with its projection.
   *
   * @param sample the sample (pixels shared, not copied)
   * @param z {@code [D]} unit-length model output (all zeros if the output was zero)
   */
  public record Projected(TrainSample sample, float[] z) implements Serializable {}

  /**
   * Projects every sample; the result is persisted and computed when this returns (the caller
   * unpersists it). The model is broadcast once and not modified.
   *
   * @param model the encoder (output {@code [batch, D]})
   * @param evalViews the evaluation transform with the manifest's normalisation
   * @param plan engine and images per forward ({@link EvalForward.Plan#current()})
   */
  public static JavaRDD<Projected> of(JavaRDD<TrainSample> samples,
      AbstractModule<Activity, Activity, Object> model, ViewSource evalViews,
      EvalForward.Plan plan) {
    SharedEvalModel shared = SharedEvalModel.of(samples.context(), model, plan);
    int batch = plan.batch();
    JavaRDD<Projected> out = samples.mapPartitions(it -> {
      List<Projected> result = new ArrayList<>();
      try (EvalForward local = shared.open()) {
        List<TrainSample> chunk = new ArrayList<>(batch);
        while (it.hasNext()) {
          chunk.add(it.next());
          if (chunk.size() == batch || !it.hasNext()) {
            float[][] z = project(local, chunk, evalViews);
            for (int i = 0; i < chunk.size(); i++) {
              result.add(new Projected(chunk.get(i), z[i]));
            }
            chunk.clear();
          }
        }
      }
      return result.iterator();
    }).persist(StorageLevel.MEMORY_ONLY());
    out.count();
    // later jobs on the cached result still serialise its lineage, so keep the broadcast valid
    shared.close(true);
    return out;
  }

  /**
   * The evaluation-mode outputs {@code [n, D]} (row-major) of the views of {@code chunk} drawn
   * with {@code seed} (n at least 1): the forward every evaluation of a training run shares.
   */
  static float[] forward(EvalForward model, List<TrainSample> chunk, ViewSource views,
      long seed) {
    int n = chunk.size();
    int c = views.channels(chunk.get(0));
    int side = views.size();
    int plane = c * side * side;
    float[] x = new float[n * plane];
    for (int i = 0; i < n; i++) {
      System.arraycopy(views.view(chunk.get(i), seed), 0, x, i * plane, plane);
    }
    return model.forward(x, n, c, side, side);
  }

  /**
   * Unit-length outputs {@code [n][D]} of the evaluation views of {@code chunk} (n at least 1).
   */
  static float[][] project(EvalForward model, List<TrainSample> chunk, ViewSource evalViews) {
    int n = chunk.size();
    float[] out = forward(model, chunk, evalViews, 0L);
    int d = out.length / n;
    float[][] z = new float[n][d];
    for (int i = 0; i < n; i++) {
      double sq = 0;
      for (int j = 0; j < d; j++) {
        sq += (double) out[i * d + j] * out[i * d + j];
      }
      double norm = Math.sqrt(sq);
      for (int j = 0; j < d; j++) {
        z[i][j] = norm > 0 ? (float) (out[i * d + j] / norm) : 0f;
      }
    }
    return z;
  }
}
