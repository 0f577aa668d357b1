package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analytic gradients against central finite differences along random directions, for every
 * loss and for 1, 2 and 3 views. The temperature is 0.5 here so that the loss is smooth at the
 * step size (the fixtures check the paper's 0.07); the unit-norm check is bypassed on purpose:
 * the gradient is the plain Euclidean one, off the sphere too.
 */
class LossGradientTest {
  private static final Prototypes PROTOS = Prototypes.random(6, 3);

  static Stream<Arguments> losses() {
    return Stream.of(
        Arguments.of("simclr", SupConLoss.simclr(0.5, 0.3)),
        Arguments.of("supcon", SupConLoss.supcon(0.5, 0.3)),
        Arguments.of("supmin r=0", SupConLoss.supmin(0.5, 0.5, 1, 0.0)),
        Arguments.of("supmin r=0.5", SupConLoss.supmin(0.5, 0.5, 0, 0.5)),
        Arguments.of("supproto", new SupProtoLoss(0.5, 0.5, 0.3, 1.0, 2.0, PROTOS)),
        Arguments.of("sbcl ccl", new SbclLoss(SbclVariant.CCL, 0.5, 0.4, 0.25, null)),
        Arguments.of("sbcl rank", new SbclLoss(SbclVariant.RANK, 0.5, 0.4, 0.25,
            new double[] {0.4, 0.7})),
        Arguments.of("kcl random", KclLoss.kcl(0.5, 0.5, 2, PositiveSelection.RANDOM)),
        Arguments.of("tsc first-k", KclLoss.tsc(0.5, 0.5, 2, PositiveSelection.FIRST_K,
            PROTOS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void gradientMatchesFiniteDifferences(String name, ContrastiveLoss loss) {
    for (int views = 1; views <= 3; views++) {
      ContrastiveBatch batch = RandomBatches.batch(7, views, 6, 3, 11 + views);
      long seed = 5;
      float[] grad = loss.compute(batch, seed).grad();
      Random random = new Random(views);
      for (int trial = 0; trial < 4; trial++) {
        float[] u = new float[grad.length];
        double analytic = 0;
        for (int i = 0; i < u.length; i++) {
          u[i] = (float) random.nextGaussian();
          analytic += u[i] * grad[i];
        }
        double h = 1e-3;
        double numeric = (loss.compute(shifted(batch, u, h), seed).loss()
            - loss.compute(shifted(batch, u, -h), seed).loss()) / (2 * h);
        assertEquals(numeric, analytic, 2e-3 * Math.max(1, Math.abs(numeric)),
            name + ", " + views + " views, direction " + trial);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("losses")
  void lossIsFiniteAndGradientNonZero(String name, ContrastiveLoss loss) {
    LossResult r = loss.compute(RandomBatches.batch(7, 2, 6, 3, 1), 0);
    assertTrue(Double.isFinite(r.loss()), name);
    double norm = 0;
    for (float g : r.grad()) {
      assertTrue(Float.isFinite(g), name);
      norm += g * g;
    }
    assertTrue(norm > 0, name + ": zero gradient");
  }

  private static ContrastiveBatch shifted(ContrastiveBatch b, float[] u, double h) {
    float[] z = b.z().clone();
    for (int i = 0; i < z.length; i++) {
      z[i] += (float) (h * u[i]);
    }
    return new ContrastiveBatch(z, b.batch(), b.views(), b.dim(), b.labels(), b.clusters());
  }
}
