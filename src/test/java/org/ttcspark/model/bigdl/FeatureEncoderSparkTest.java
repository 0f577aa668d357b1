package org.ttcspark.model.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.testing.SparkTestSession;

/**
 * {@link Encoders#withFeatures} in its MKL-DNN form ({@link Encoders#onMklDnn}): its rows are the plain encoder's
 * projection followed by the backbone feature, and a gradient on either part reaches the
 * backbone's weights.
 */
@ExtendWith(SparkTestSession.class)
class FeatureEncoderSparkTest {
  @Test
  void outputsProjectionThenFeatureAndBackPropagatesBoth(SparkSession spark) {
    // the session fixture sets engine.type = mkldnn: the conversion below is the MKL-DNN one
    assertEquals(EngineType.MKLDNN, SparkRuntime.engineInUse());
    ModelConfig cfg = ModelConfig.from(ConfigLoader.load(List.of(), List.of(
        "model.backbone=resnet18", "model.width=4", "model.projection-dim=8")));
    Sequential<Object> plain = Encoders.contrastive(cfg, 3, 16, 5);
    int f = cfg.featureDim();
    int d = cfg.projectionDim();
    float[] px = new float[4 * 3 * 16 * 16];
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rng.nextGaussian();
    }
    Tensor<Object> input = Bigdl.tensor(px, 4, 3, 16, 16);
    AbstractModule<Activity, Activity, Object> both =
        Encoders.onMklDnn(Encoders.withFeatures(plain));
    AbstractModule<Activity, Activity, Object> ref = Bigdl.toMklDnn(plain.cloneModule(),
        Memory.Format.nchw, Memory.Format.nc);
    both.evaluate();
    ref.evaluate();
    float[] out = Bigdl.toArray((Tensor<Object>) both.forward(input));
    float[] z = Bigdl.toArray((Tensor<Object>) ref.forward(input));
    assertEquals(4 * (d + f), out.length);
    for (int r = 0; r < 4; r++) {
      float[] mine = java.util.Arrays.copyOfRange(out, r * (d + f), r * (d + f) + d);
      float[] theirs = java.util.Arrays.copyOfRange(z, r * d, r * d + d);
      assertArrayEquals(theirs, mine, 1e-5f, "row " + r);
    }
    // MKL-DNN compiles a graph for the mode of its first forward: train a fresh conversion,
    // its flat parameters taken before the first forward as the global step does
    long backboneSize = 0;
    for (Tensor<Object> t : plain.modules().apply(Encoders.BACKBONE).parameters()._1()) {
      backboneSize += t.nElement();
    }
    both = Encoders.onMklDnn(Encoders.withFeatures(plain));
    Tensor<Object> grads = both.getParameters()._2();
    both.training();
    for (boolean featurePart : new boolean[] {false, true}) {
      both.forward(input);
      float[] g = new float[out.length];
      for (int r = 0; r < 4; r++) {
        g[r * (d + f) + (featurePart ? d : 0)] = 1;
      }
      both.zeroGradParameters();
      both.backward(input, Bigdl.tensor(g, 4, d + f));
      float[] all = Bigdl.toArray(grads);
      double norm = 0;
      for (int i = 0; i < backboneSize; i++) {
        norm += all[i] * all[i];
      }
      assertTrue(norm > 0, (featurePart ? "feature" : "projection")
          + " gradient does not reach the backbone");
    }
  }
}
