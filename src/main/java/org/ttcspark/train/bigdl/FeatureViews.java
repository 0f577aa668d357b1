package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
import org.apache.spark.api.java.JavaRDD;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;

/**
 * Views through a frozen backbone: the augmented view of a sample, forwarded through the
 * backbone in evaluation mode, as a {@code [features, 1, 1]} map. Fine-tuning with a frozen
 * backbone trains only the head on these, so the backbone's parameters and its batch-norm
 * statistics stay exactly as pretrained, whatever the engine (MKL-DNN's model conversion does
 * not keep BigDL's {@code freeze}), and no gradient flows through the backbone.
 *
 * <p>Views are drawn on several threads at once; each thread forwards through its own copy of
 * the backbone (BigDL modules keep per-forward buffers).
 */
final class FeatureViews implements ViewSource {
  private static final long serialVersionUID = 1L;
  private final ViewSource pixels;
  private final AbstractModule<Activity, Activity, Object> backbone;
  private final int features;
  private final int cores;
  private final float[] mean;
  private final float[] inverseStd;
  private transient ThreadLocal<AbstractModule<Activity, Activity, Object>> copies;

  /**
   * @param pixels the image views (augmentation or evaluation transform, normalised)
   * @param backbone the pretrained backbone, output {@code [batch, features]}
   * @param features the backbone's output width
   */
  FeatureViews(ViewSource pixels, AbstractModule<Activity, Activity, Object> backbone,
      int features) {
    this(pixels, backbone, features, null, null);
  }

  private FeatureViews(ViewSource pixels, AbstractModule<Activity, Activity, Object> backbone,
      int features, float[] mean, float[] inverseStd) {
    this.pixels = pixels;
    this.backbone = backbone;
    this.features = features;
    this.cores = Engine$.MODULE$.coreNumber();
    this.mean = mean;
    this.inverseStd = inverseStd;
  }

  /** The same views, each feature standardised: {@code (f - mean) * inverseStd}. */
  FeatureViews standardized(float[] mean, float[] inverseStd) {
    if (mean.length != features || inverseStd.length != features) {
      throw new IllegalArgumentException("standardisation of " + mean.length + " features for "
          + "a backbone of " + features);
    }
    return new FeatureViews(pixels, backbone, features, mean, inverseStd);
  }

  /**
   * The mean and inverse standard deviation of every feature over {@code samples}' views (the
   * population deviation; 1 for a constant feature).
   *
   * @return {mean, inverse standard deviation}
   */
  float[][] standardization(JavaRDD<TrainSample> samples) {
    int n = features;
    double[] sums = samples.map(s -> view(s, 0L)).treeAggregate(new double[2 * n + 1],
        (acc, f) -> {
          for (int i = 0; i < n; i++) {
            acc[i] += f[i];
            acc[n + i] += (double) f[i] * f[i];
          }
          acc[2 * n] += 1;
          return acc;
        }, (a, b) -> {
          for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
          }
          return a;
        });
    double count = Math.max(1, sums[2 * n]);
    float[] m = new float[n];
    float[] inv = new float[n];
    for (int i = 0; i < n; i++) {
      double mu = sums[i] / count;
      double sd = Math.sqrt(Math.max(0, sums[n + i] / count - mu * mu));
      m[i] = (float) mu;
      inv[i] = sd > 1e-12 * Math.max(1, Math.abs(mu)) ? (float) (1 / sd) : 1f;
    }
    return new float[][] {m, inv};
  }

  @Override
  @SuppressWarnings("unchecked")
  public float[] view(TrainSample sample, long seed) {
    float[] x = pixels.view(sample, seed);
    int side = pixels.size();
    Tensor<Object> out = (Tensor<Object>) copy().forward(
        Bigdl.tensor(x, 1, sample.channels(), side, side));
    float[] f = Bigdl.toArray(out);
    if (mean != null) {
      for (int i = 0; i < f.length; i++) {
        f[i] = (f[i] - mean[i]) * inverseStd[i];
      }
    }
    return f;
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public int channels(TrainSample sample) {
    return features;
  }

  private AbstractModule<Activity, Activity, Object> copy() {
    synchronized (this) {
      if (copies == null) {
        try {
          Engine$.MODULE$.coreNumber();
        } catch (RuntimeException notInitialised) {
          Engine$.MODULE$.setNodeAndCore(1, Math.max(1, cores));
        }
        copies = ThreadLocal.withInitial(() -> {
          AbstractModule<Activity, Activity, Object> m = backbone.cloneModule();
          m.evaluate();
          return m;
        });
      }
    }
    return copies.get();
  }
}
