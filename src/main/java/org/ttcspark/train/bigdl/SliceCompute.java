package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.io.Serializable;
import org.ttcspark.platform.Bigdl;

/**
 * What computes one slice's forward and backward in the global-scope step ({@link GlobalStep}):
 * the slice's BigDL model itself, or its PyTorch twin ({@link TorchSliceCompute}). Either way
 * the weights come from, and the gradient goes into, the slice's flat BigDL vectors, so the
 * all-reduce, the optimiser and the checkpoints do not know which engine computed.
 */
interface SliceCompute {
  /**
   * Forwards {@code input} in training mode with the current flat weights; keeps what
   * {@link #backward} needs.
   *
   * @return the output, row-major
   */
  float[] forward(Tensor<Object> input);

  /**
   * Forwards {@code input} in training mode with the current flat weights and keeps nothing
   * for a backward: PaCo's momentum key encoder, which gets no gradient.
   *
   * @return the output, row-major
   */
  float[] encode(Tensor<Object> input);

  /**
   * Back-propagates {@code gradOutput} (the loss gradient of the last forward's output) and
   * writes the parameter gradient into the slice's flat gradient vector.
   */
  void backward(float[] gradOutput);

  /** BatchNorm running statistics, in BigDL's {@code getExtraParameter()} order. */
  float[][] extraParameters();

  /** Builds a slice's compute on its executor, from the slice's model copy. */
  interface Factory extends Serializable {
    /**
     * @param model the slice's BigDL model (its parameters compacted into the two vectors)
     * @param weights the flat weights the all-reduce fills before every forward
     * @param gradients the flat gradient the all-reduce takes after every backward
     */
    SliceCompute create(AbstractModule<Activity, Activity, Object> model, Tensor<Object> weights,
        Tensor<Object> gradients);

    /** The {@code engine.device} the slices compute on. */
    default String device() {
      return "cpu";
    }
  }

  /** The BigDL model computes (the MKL-DNN graph or the plain model). */
  static Factory bigdl() {
    return (model, weights, gradients) -> new SliceCompute() {
      private Tensor<Object> input;

      @Override
      @SuppressWarnings("unchecked")
      public float[] forward(Tensor<Object> in) {
        model.training();
        input = in;
        return Bigdl.toArray((Tensor<Object>) model.forward(in));
      }

      @Override
      @SuppressWarnings("unchecked")
      public float[] encode(Tensor<Object> in) {
        model.training();
        return Bigdl.toArray((Tensor<Object>) model.forward(in));
      }

      @Override
      @SuppressWarnings("unchecked")
      public void backward(float[] gradOutput) {
        Tensor<Object> out = (Tensor<Object>) model.output();
        model.zeroGradParameters();
        model.backward(input, Bigdl.tensor(gradOutput, out.size()));
        input = null;
      }

      @Override
      public float[][] extraParameters() {
        Tensor<Object>[] extra = model.getExtraParameter();
        if (extra == null) {
          return new float[0][];
        }
        float[][] out = new float[extra.length][];
        for (int i = 0; i < extra.length; i++) {
          out[i] = Bigdl.toArray(extra[i]);
        }
        return out;
      }
    };
  }
}
