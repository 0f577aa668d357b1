package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * SBCL's second-stage rules against the authors' code: the class-balanced weights of
 * {@code linear_classify.py} and {@code loss.py LDAMLoss}, run in float64 with Debian's
 * python3-torch ({@code torch.cuda.FloatTensor} patched to a float64 CPU tensor):
 *
 * <pre>
 *   cls = [900, 100]; beta = 0.9999
 *   eff = 1.0 - np.power(beta, cls); w = (1.0 - beta) / np.array(eff)
 *   w = w / np.sum(w) * len(cls)
 *   x = torch.tensor([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.25], [0.9, -0.7]], dtype=torch.float64)
 *   y = torch.tensor([0, 1, 1, 0])
 *   for weight in [None, torch.tensor(w)]:
 *       crit = LDAMLoss(cls_num_list=cls, max_m=0.5, s=30, weight=weight)
 *       loss = crit(x, y); loss.backward()
 * </pre>
 */
class LdamLossTest {
  private static final long[] COUNTS = {900, 100};
  private static final float[] X = {0.3f, -0.2f, 0.1f, 0.4f, -0.5f, 0.25f, 0.9f, -0.7f};
  private static final int[] Y = {0, 1, 1, 0};

  @Test
  void classBalancedWeightsAreSbcls() {
    assertArrayEquals(new double[] {0.20725451762457478, 1.7927454823754252},
        ClassBalance.weights(COUNTS, 0.9999), 1e-12);
    assertArrayEquals(new double[] {1, 1}, ClassBalance.weights(COUNTS, 0), 1e-15);
    double[] w = ClassBalance.weights(new long[] {5, 50, 500}, 0.99);
    assertEquals(3, w[0] + w[1] + w[2], 1e-12, "the weights sum to the number of classes");
    assertTrue(w[0] > w[1] && w[1] > w[2], "rarer classes weigh more");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassBalance.weights(COUNTS, 1.0));
    assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
  }

  @Test
  void marginsGrowAsTheFourthRootOfRarity() {
    LdamLoss l = new LdamLoss(COUNTS, 0.5, 30, ClassBalance.uniform(2));
    assertArrayEquals(new double[] {0.28867513459481287, 0.5}, l.margins(), 1e-15);
  }

  @Test
  void lossAndGradientMatchSbclsLdamLoss() {
    check(ClassBalance.uniform(2), 1.5011979529409591, new double[] {-0.013212312265207249,
        0.013212312265207783, 7.48145532632524, -7.481455326325239, 0.004145839776926997,
        -0.004145839776927007, 0.0, 6.166328717120999e-17});
    check(ClassBalance.weights(COUNTS, 0.9999), 2.690566965790991, new double[] {
        -0.002738311405230782, 0.002738311405230893, 13.41234523786314, -13.412345237863137,
        0.007432435530738217, -0.007432435530738234, 0.0, 1.2779994837814759e-17});
  }

  private static void check(double[] weights, double loss, double[] grad) {
    LossResult r = new LdamLoss(COUNTS, 0.5, 30, weights).compute(X, Y);
    assertEquals(loss, r.loss(), 1e-5 * Math.max(1, loss));
    double max = 0;
    for (double g : grad) {
      max = Math.max(max, Math.abs(g));
    }
    for (int i = 0; i < grad.length; i++) {
      assertEquals(grad[i], r.grad()[i], 2e-5 * max, "element " + i);
    }
  }
}
