package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
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
  private transient ThreadLocal<AbstractModule<Activity, Activity, Object>> copies;

  /**
   * @param pixels the image views (augmentation or evaluation transform, normalised)
   * @param backbone the pretrained backbone, output {@code [batch, features]}
   * @param features the backbone's output width
   */
  FeatureViews(ViewSource pixels, AbstractModule<Activity, Activity, Object> backbone,
      int features) {
    this.pixels = pixels;
    this.backbone = backbone;
    this.features = features;
    this.cores = Engine$.MODULE$.coreNumber();
  }

  @Override
  @SuppressWarnings("unchecked")
  public float[] view(TrainSample sample, long seed) {
    float[] x = pixels.view(sample, seed);
    int side = pixels.size();
    Tensor<Object> out = (Tensor<Object>) copy().forward(
        Bigdl.tensor(x, 1, sample.channels(), side, side));
    return Bigdl.toArray(out);
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
