package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * The projections of training samples under the model as trained so far, computed on the
 * executors: every sample's evaluation view (normalised as in training) is forwarded in batches
 * through a task-local copy of the model in evaluation mode (BatchNorm uses its running
 * statistics), and the output is scaled to unit length. What SBCL clusters and what data
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
   * @param batch samples per forward call, at least 1
   */
  public static JavaRDD<Projected> of(JavaRDD<TrainSample> samples,
      AbstractModule<Activity, Activity, Object> model, ViewSource evalViews, int batch) {
    int cores = Engine$.MODULE$.coreNumber();
    Broadcast<AbstractModule<Activity, Activity, Object>> shared =
        JavaSparkContext.fromSparkContext(samples.context()).broadcast(model);
    JavaRDD<Projected> out = samples.mapPartitions(it -> {
      AbstractModule<Activity, Activity, Object> local = evaluationCopy(shared.value(), cores);
      List<Projected> result = new ArrayList<>();
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
      return result.iterator();
    }).persist(StorageLevel.MEMORY_ONLY());
    out.count();
    // later jobs on the cached result still serialise its lineage, so keep the broadcast valid
    shared.unpersist(false);
    return out;
  }

  /**
   * A task's own copy of a broadcast model in evaluation mode (BigDL modules keep per-forward
   * buffers and are not thread-safe). Initialises BigDL's thread pools in an executor JVM that
   * has not trained yet.
   */
  static AbstractModule<Activity, Activity, Object> evaluationCopy(
      AbstractModule<Activity, Activity, Object> shared, int cores) {
    try {
      Engine$.MODULE$.coreNumber();
    } catch (RuntimeException notInitialised) {
      Engine$.MODULE$.setNodeAndCore(1, Math.max(1, cores));
    }
    AbstractModule<Activity, Activity, Object> local = shared.cloneModule();
    local.evaluate();
    return local;
  }

  /**
   * Unit-length outputs {@code [n][D]} of the evaluation views of {@code chunk} (n at least 1).
   */
  @SuppressWarnings("unchecked")
  static float[][] project(AbstractModule<Activity, Activity, Object> evalModel,
      List<TrainSample> chunk, ViewSource evalViews) {
    int n = chunk.size();
    int c = chunk.get(0).channels();
    int side = evalViews.size();
    int plane = c * side * side;
    float[] x = new float[n * plane];
    for (int i = 0; i < n; i++) {
      System.arraycopy(evalViews.view(chunk.get(i), 0L), 0, x, i * plane, plane);
    }
    float[] out = Bigdl.toArray((Tensor<Object>) evalModel.forward(
        Bigdl.tensor(x, n, c, side, side)));
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
