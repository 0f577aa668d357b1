package org.ttcspark.train.bigdl;

import ai.djl.Device;
import com.intel.analytics.bigdl.mkl.Memory;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.optim.SGD;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.SplittableRandom;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.torch.TorchEncoder;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.EngineType;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.platform.Torch;
import org.ttcspark.train.LrSchedule;
import scala.Tuple2;
import scala.runtime.AbstractFunction1;

/**
 * The bare training step for {@code ttc bench}: one model in this JVM, synthetic input of two
 * views per sample, forward, SupCon loss, backward and an SGD update, timed after warm-up.
 * Images per second count both views.
 */
public final class Bench {
  private Bench() {}

  /**
   * Measured throughput.
   *
   * @param imagesPerSecond training images (views) per second over the measured iterations
   * @param seconds wall time of the measured iterations
   * @param engine the engine in use
   * @param parameters the model's parameter count
   * @param phases mean seconds per measured iteration of the step's parts, in step order
   */
  public record Result(double imagesPerSecond, double seconds, EngineType engine,
      long parameters, Phases phases) {}

  /**
   * Mean seconds per iteration of a step's parts: where a slow engine loses its time.
   *
   * @param forward the model's forward of 2B views
   * @param loss the loss and its gradient (BigDL, on the JVM)
   * @param backward the model's backward to the flat parameter gradient
   * @param update the SGD update, with the torch engine also the weights and gradient copied
   *     between BigDL's flat vectors and PyTorch
   */
  public record Phases(double forward, double loss, double backward, double update) {}

  /** Accumulates the parts of the measured iterations. */
  private static final class PhaseClock {
    private final double[] sum = new double[4];
    private long last;
    private boolean on;

    void start(boolean measured) {
      on = measured;
      last = System.nanoTime();
    }

    void lap(int part) {
      long now = System.nanoTime();
      if (on) {
        sum[part] += (now - last) / 1e9;
      }
      last = now;
    }

    Phases mean(int iterations) {
      return new Phases(sum[0] / iterations, sum[1] / iterations, sum[2] / iterations,
          sum[3] / iterations);
    }
  }

  /** Parameters of the contrastive encoder (backbone and projection head) for this input. */
  public static long parameterCount(ModelConfig cfg, int channels, int size) {
    return Encoders.contrastive(cfg, channels, size, 0).getParameters()._1().nElement();
  }

  /** Times {@code iterations} steps after {@code warmUp} unmeasured ones. */
  public static Result synthetic(ModelConfig cfg, int channels, int size, int batch, int warmUp,
      int iterations, long seed) {
    AbstractModule<Activity, Activity, Object> plain =
        Layers.any(Encoders.contrastive(cfg, channels, size, seed));
    EngineType engine = SparkRuntime.engineInUse();
    AbstractModule<Activity, Activity, Object> model = engine == EngineType.MKLDNN
        ? Bigdl.toMklDnn(plain, Memory.Format.nchw, Memory.Format.nc) : plain;
    model.training();
    AbstractCriterion<Activity, Activity, Object> criterion = supcon(seed);
    RandomBatch random = RandomBatch.of(seed, batch, channels, size);
    float[] x = random.images();
    Tensor<Object> input = Bigdl.tensor(x, 2 * batch, channels, size, size);
    Tensor<Object> target = random.target();
    Tuple2<Tensor<Object>, Tensor<Object>> params = model.getParameters();
    SGD<Object> sgd = new SGD<>(0.01, 0.0, 1e-4, 0.9, 0.0, false,
        new ScheduleAdapter(new LrSchedule(0.01, 0, 1)), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
    PhaseClock clock = new PhaseClock();
    long start = 0;
    for (int i = 0; i < warmUp + iterations; i++) {
      if (i == warmUp) {
        start = System.nanoTime();
      }
      clock.start(i >= warmUp);
      step(model, criterion, sgd, params, input, target, clock);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(2.0 * batch * iterations / seconds, seconds, engine,
        params._1().nElement(), clock.mean(iterations));
  }

  /**
   * The same bare step with the torch engine ({@code engine.type = torch} on {@code rc}'s
   * device): PyTorch forwards and back-propagates, the loss and the SGD update stay BigDL's, and
   * the weights and gradients cross between them every step as in the global-scope step.
   * Convolutions and linear layers compute in {@code engine.precision} (unscaled: the timing is
   * what it measures).
   */
  @SuppressWarnings("unchecked")
  public static Result torch(ModelConfig cfg, int channels, int size, int batch, int warmUp,
      int iterations, long seed, RuntimeConfig rc) {
    AbstractModule<Activity, Activity, Object> model =
        Layers.any(Encoders.contrastive(cfg, channels, size, seed));
    Device device = Torch.device(rc.device(), Torch.engine(rc));
    AbstractCriterion<Activity, Activity, Object> criterion = supcon(seed);
    RandomBatch random = RandomBatch.of(seed, batch, channels, size);
    float[] x = random.images();
    Tensor<Object> target = random.target();
    int[] shape = {2 * batch, channels, size, size};
    Tuple2<Tensor<Object>, Tensor<Object>> params = model.getParameters();
    SGD<Object> sgd = new SGD<>(0.01, 0.0, 1e-4, 0.9, 0.0, false,
        new ScheduleAdapter(new LrSchedule(0.01, 0, 1)), null, null, Bigdl.FLOAT, Bigdl.NUMERIC);
    PhaseClock clock = new PhaseClock();
    try (TorchEncoder enc = TorchEncoder.of(model, device, rc.precision())) {
      long start = 0;
      for (int i = 0; i < warmUp + iterations; i++) {
        if (i == warmUp) {
          start = System.nanoTime();
        }
        clock.start(i >= warmUp);
        float[] out = enc.forward(x, shape, Bigdl.toArray(params._1()), true);
        clock.lap(0);
        Tensor<Object> z = Bigdl.tensor(out, 2 * batch, cfg.projectionDim());
        Object loss = criterion.forward(z, target);
        float[] gz = Bigdl.toArray((Tensor<Object>) criterion.backward(z, target));
        clock.lap(1);
        float[] g = enc.backward(gz);
        clock.lap(2);
        Tensor<Object> grad = params._2();
        System.arraycopy(g, 0, Bigdl.floats(grad), grad.storageOffset() - 1, g.length);
        sgd.optimize(new AbstractFunction1<Tensor<Object>, Tuple2<Object, Tensor<Object>>>() {
          @Override
          public Tuple2<Object, Tensor<Object>> apply(Tensor<Object> w) {
            return new Tuple2<>(loss, grad);
          }
        }, params._1());
        clock.lap(3);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(2.0 * batch * iterations / seconds, seconds, EngineType.TORCH,
          params._1().nElement(), clock.mean(iterations));
    }
  }

  private static void step(AbstractModule<Activity, Activity, Object> model,
      AbstractCriterion<Activity, Activity, Object> criterion, SGD<Object> sgd,
      Tuple2<Tensor<Object>, Tensor<Object>> params, Tensor<Object> input, Tensor<Object> target,
      PhaseClock clock) {
    model.zeroGradParameters();
    Activity out = model.forward(input);
    clock.lap(0);
    Object loss = criterion.forward(out, target);
    Activity gradOut = criterion.backward(out, target);
    clock.lap(1);
    model.backward(input, gradOut);
    clock.lap(2);
    sgd.optimize(new AbstractFunction1<Tensor<Object>, Tuple2<Object, Tensor<Object>>>() {
      @Override
      public Tuple2<Object, Tensor<Object>> apply(Tensor<Object> w) {
        return new Tuple2<>(loss, params._2());
      }
    }, params._1());
    clock.lap(3);
  }

  /** The bare step's criterion: SupCon at temperature 0.07. */
  @SuppressWarnings("unchecked")
  private static AbstractCriterion<Activity, Activity, Object> supcon(long seed) {
    return (AbstractCriterion<Activity, Activity, Object>) (Object)
        new ContrastiveCriterion(SupConLoss.supcon(0.07, 0.07), seed);
  }

  /** The bare step's fixed batch: 2B Gaussian views and labels alternating 0, 1. */
  private record RandomBatch(float[] images, Tensor<Object> target) {
    static RandomBatch of(long seed, int batch, int channels, int size) {
      SplittableRandom rng = new SplittableRandom(seed);
      float[] x = new float[2 * batch * channels * size * size];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rng.nextGaussian();
      }
      float[] y = new float[2 * batch];
      for (int i = 0; i < batch; i++) {
        y[2 * i] = i % 2;
        y[2 * i + 1] = -1;
      }
      return new RandomBatch(x, Bigdl.tensor(y, batch, 2));
    }
  }
}
