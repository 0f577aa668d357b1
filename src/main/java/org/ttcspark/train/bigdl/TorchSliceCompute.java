package org.ttcspark.train.bigdl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import org.ttcspark.model.torch.TorchEncoder;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.Precision;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.platform.Torch;

/**
 * A slice computed by PyTorch ({@code engine.type = torch}) on the executor's
 * {@code engine.device} in {@code engine.precision}: the slice's BigDL model only holds the flat weight and gradient
 * vectors the all-reduce fills and takes; {@link TorchEncoder} computes with them. Running
 * statistics start from the model's (a resumed run's) and then live in PyTorch.
 *
 * <p>Spark's size estimator stops here ({@code KnownSizeEstimation}, public in the bytecode
 * though Scala declares it {@code private[spark]}).
 */
final class TorchSliceCompute implements SliceCompute,
    org.apache.spark.util.KnownSizeEstimation {
  private final TorchEncoder encoder;
  private final Tensor<Object> weights;
  private final Tensor<Object> gradients;

  private TorchSliceCompute(TorchEncoder encoder, Tensor<Object> weights,
      Tensor<Object> gradients) {
    this.encoder = encoder;
    this.weights = weights;
    this.gradients = gradients;
  }

  /** The compute of {@code rc}'s engine: PyTorch for {@code torch}, else the BigDL model. */
  static SliceCompute.Factory forRuntime(RuntimeConfig rc) {
    if (rc.engineType() != EngineType.TORCH) {
      return SliceCompute.bigdl();
    }
    String device = rc.device();
    int threads = rc.mklNumThreads();
    String isa = rc.oneDnnMaxCpuIsa();
    Precision precision = rc.precision();
    return new SliceCompute.Factory() {
      private static final long serialVersionUID = 1L;

      @Override
      public SliceCompute create(AbstractModule<Activity, Activity, Object> model,
          Tensor<Object> weights, Tensor<Object> gradients) {
        return TorchSliceCompute.create(model, weights, gradients, device, threads, isa,
            precision);
      }

      @Override
      public String device() {
        return device;
      }
    };
  }

  static SliceCompute create(AbstractModule<Activity, Activity, Object> model,
      Tensor<Object> weights, Tensor<Object> gradients, String device, int threads, String isa,
      Precision precision) {
    Engine engine = Torch.engine(threads, isa);
    Device d = Torch.device(device, engine);
    return new TorchSliceCompute(TorchEncoder.of(model, d, precision), weights, gradients);
  }

  @Override
  public float[] forward(Tensor<Object> input) {
    return encoder.forward(Bigdl.toArray(input), input.size(), Bigdl.toArray(weights), true);
  }

  @Override
  public float[] encode(Tensor<Object> input) {
    return encoder.encode(Bigdl.toArray(input), input.size(), Bigdl.toArray(weights));
  }

  @Override
  public void backward(float[] gradOutput) {
    float[] g = encoder.backward(gradOutput);
    System.arraycopy(g, 0, Bigdl.floats(gradients), gradients.storageOffset() - 1, g.length);
  }

  /**
   * What the block manager counts for this cached slice state: Spark's size estimator would
   * otherwise walk into DJL's native handles and JDK internals that Java 17 keeps closed.
   */
  @Override
  public long estimatedSize() {
    return 4 * encoder.size();
  }

  @Override
  public float[][] extraParameters() {
    return encoder.runningStatistics();
  }
}
