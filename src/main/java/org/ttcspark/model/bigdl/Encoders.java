package org.ttcspark.model.bigdl;

import static org.ttcspark.model.bigdl.Layers.add;

import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.ConcatTable$;
import com.intel.analytics.bigdl.nn.JoinTable$;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.utils.RandomGenerator$;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.platform.Bigdl;

/**
 * The contrastive encoder as one BigDL {@code Sequential} named {@code encoder}:
 * <ol>
 *   <li>{@code backbone}: ResNet, output the pooled feature {@code [batch, featureDim]};</li>
 *   <li>{@code head}: Linear(f, f) - ReLU - Linear(f, projectionDim);</li>
 *   <li>{@code l2} (when {@code model.normalize}): row-wise L2 normalisation.</li>
 * </ol>
 * The cross-entropy baseline uses {@link #classifier} instead: backbone + Linear(f, classes).
 */
public final class Encoders {
  /** Index of the backbone inside the encoder's Sequential. */
  public static final int BACKBONE = 0;
  /** Index of the projection head inside the encoder's Sequential. */
  public static final int HEAD = 1;

  private Encoders() {}

  /**
   * A freshly initialised encoder for {@code [batch, channels, imageSize, imageSize]} input;
   * initialisation is seeded from {@code seed} (BigDL's global RNG).
   */
  public static Sequential<Object> contrastive(ModelConfig cfg, int channels, int imageSize,
      long seed) {
    RandomGenerator$.MODULE$.RNG().setSeed(seed);
    Sequential<Object> encoder = Layers.sequential("encoder");
    add(encoder, Layers.any(ResNetBuilder.build(cfg.backbone(), cfg.stemFor(imageSize),
        cfg.width(), channels, imageSize)));
    int f = cfg.featureDim();
    Sequential<Object> head = Layers.sequential("head");
    add(head, Layers.linear("head.fc1", f, f));
    add(head, Layers.relu("head.relu"));
    add(head, Layers.linear("head.fc2", f, cfg.projectionDim()));
    add(encoder, Layers.any(head));
    if (cfg.normalize()) {
      add(encoder, Layers.l2Normalize("l2"));
    }
    return encoder;
  }

  /** Backbone + Linear(featureDim, classes): output logits {@code [batch, classes]}. */
  public static Sequential<Object> classifier(ModelConfig cfg, int channels, int imageSize,
      int classes, long seed) {
    RandomGenerator$.MODULE$.RNG().setSeed(seed);
    Sequential<Object> model = Layers.sequential("classifier");
    add(model, Layers.any(ResNetBuilder.build(cfg.backbone(), cfg.stemFor(imageSize),
        cfg.width(), channels, imageSize)));
    add(model, Layers.linear("classifier.fc", cfg.featureDim(), classes));
    return model;
  }

  /**
   * The backbone of an encoder or classifier built here (shares its weights): output the
   * pooled feature {@code [batch, featureDim]}, for {@code embed} and linear probes.
   */
  public static AbstractModule<Activity, Activity, Object> backbone(Sequential<Object> model) {
    return model.modules().apply(BACKBONE);
  }

  /**
   * Backbone + head without the normalisation (shares the weights): the raw projection
   * {@code [batch, projectionDim]}.
   */
  public static Sequential<Object> projection(Sequential<Object> encoder) {
    Sequential<Object> s = Layers.sequential("projection");
    add(s, encoder.modules().apply(BACKBONE));
    add(s, encoder.modules().apply(HEAD));
    return s;
  }

  /**
   * The encoder with the backbone feature appended to every output row: {@code [batch,
   * projectionDim + featureDim]}, the (normalised) projection first. Shares the layers, and so
   * the weights and their names, with {@code encoder}: BCL's and PaCo's classifiers take the
   * backbone feature, and the global step trains both heads through one forward and backward.
   */
  @SuppressWarnings("unchecked")
  public static Sequential<Object> withFeatures(Sequential<Object> encoder) {
    Sequential<Object> s = Layers.sequential("encoder-features");
    add(s, encoder.modules().apply(BACKBONE));
    AbstractModule<Activity, Activity, Object> branches = Layers.any(
        ConcatTable$.MODULE$.apply(Layers.activityTag(), Bigdl.FLOAT, Bigdl.NUMERIC)
            .setName("encoder-features.branches"));
    Sequential<Object> projection = Layers.sequential("encoder-features.projection");
    for (int i = HEAD; i < encoder.modules().size(); i++) {
      add(projection, encoder.modules().apply(i));
    }
    add(branches, Layers.any(projection));
    add(branches, Layers.identity("encoder-features.feature"));
    add(s, branches);
    add(s, Layers.any(JoinTable$.MODULE$.apply(2, 0, Bigdl.FLOAT, Bigdl.NUMERIC)
        .setName("encoder-features.join")));
    return s;
  }

  /**
   * A {@link #withFeatures} model with only its backbone converted to MKL-DNN: MKL-DNN graphs
   * cannot sum the gradients of an output that feeds two branches (here the projection head
   * and the feature itself), so the fork, the head and the join stay BLAS layers after the
   * backbone's graph. The engine type must be mkldnn.
   */
  public static AbstractModule<Activity, Activity, Object> onMklDnn(
      Sequential<Object> featureModel) {
    Sequential<Object> s = Layers.sequential(featureModel.getName() + ".dnn");
    add(s, Bigdl.toMklDnn(featureModel.modules().apply(BACKBONE), Memory.Format.nchw,
        Memory.Format.nc));
    for (int i = BACKBONE + 1; i < featureModel.modules().size(); i++) {
      add(s, featureModel.modules().apply(i));
    }
    return Layers.any(s);
  }
}
