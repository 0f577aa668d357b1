package org.ttcspark.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * Time per forward+backward call of every loss on a synthetic batch (random unit projections,
 * 10 % minority, the majority split into minority-sized subclasses), for {@code ttc loss
 * --bench}. A call includes the batch checks, as in training.
 */
public final class LossBenchmark {
  /**
   * One measurement.
   *
   * @param name the loss (and variant)
   * @param medianMillis median time per call
   * @param p90Millis 90th percentile
   * @param minMillis fastest call: the cost with the least interference from other processes
   * @param loss the loss of the last call, to show the work was done
   */
  public record Timing(String name, double medianMillis, double p90Millis, double minMillis,
      double loss) {}

  private LossBenchmark() {}

  /**
   * Measures every method with the parameters of {@code config} (method and SBCL variant are
   * varied here).
   *
   * @param batch samples B (2B rows with 2 views)
   * @param dim projection dimension D
   * @param warmUp calls before timing (JIT compilation, MKL initialisation)
   * @param calls timed calls per method
   */
  public static List<Timing> run(LossConfig config, int batch, int dim, int warmUp, int calls,
      long seed) {
    int views = 2;
    float[] z = randomUnitRows(views * batch, dim, seed);
    int[] labels = new int[batch];
    int[] clusters = new int[batch];
    int minority = Math.max(2, batch / 10);
    for (int i = 0; i < batch; i++) {
      labels[i] = i < minority ? config.minorityClass() : 1 - config.minorityClass();
      clusters[i] = i < minority ? 0 : 1 + (i - minority) / minority;
    }
    Prototypes protos = Prototypes.random(dim, seed);
    List<Timing> out = new ArrayList<>();
    for (LossMethod m : LossMethod.values()) {
      if (m == LossMethod.PACO) {
        continue; // contrasts queries with a key queue: not a batch of views
      }
      List<SbclVariant> variants = m == LossMethod.SBCL
          ? List.of(SbclVariant.CCL, SbclVariant.RANK) : List.of(SbclVariant.RANK);
      for (SbclVariant v : variants) {
        LossConfig c = with(config, m, v);
        ContrastiveLoss loss = c.create(protos, new double[] {0.08, 0.12});
        String name = m.name().toLowerCase() + (m == LossMethod.SBCL ? " " + v.name()
            .toLowerCase() : "");
        out.add(time(name, s -> loss.compute(ContrastiveBatch.of(z, batch, views, dim, labels,
            m == LossMethod.SBCL ? clusters : null), s).loss(), warmUp, calls));
      }
    }
    WeightedCrossEntropy ce = WeightedCrossEntropy.fromCounts(new long[] {9, 1});
    float[] logits = Arrays.copyOf(z, batch * 2);
    out.add(time("weighted-ce", s -> ce.compute(logits, labels).loss(), warmUp, calls));
    return out;
  }

  /**
   * Rows of i.i.d. Gaussian entries scaled to unit length: uniform directions on the sphere.
   *
   * @return row-major {@code [rows, dim]}
   */
  public static float[] randomUnitRows(int rows, int dim, long seed) {
    Random random = new Random(seed);
    float[] z = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        z[r * dim + j] = (float) random.nextGaussian();
        norm += z[r * dim + j] * z[r * dim + j];
      }
      for (int j = 0; j < dim; j++) {
        z[r * dim + j] /= (float) Math.sqrt(norm);
      }
    }
    return z;
  }

  private static Timing time(String name, LongFunction<Double> call, int warmUp, int calls) {
    double last = 0;
    for (int i = 0; i < warmUp; i++) {
      last = call.apply(i);
    }
    double[] ms = new double[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      last = call.apply(warmUp + i);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return new Timing(name, ms[calls / 2], ms[(int) (calls * 0.9)], ms[0], last);
  }

  private static LossConfig with(LossConfig c, LossMethod method, SbclVariant variant) {
    return new LossConfig(method, c.temperature(), c.baseTemperature(), c.minorityClass(),
        c.ratioSupervisedMajority(), c.eps0(), c.eps1(), c.negativesWeight(), c.prototypes(),
        variant, c.sbclGamma(), c.sbclTemperature(), c.sbclBaseTemperature(),
        c.sbclClassTemperatures(), c.sbclWarmUpEpochs(), c.sbclClusterEvery(), c.kclK(),
        c.kclPositiveSelection(), c.bcl(), c.paco());
  }
}
