package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SbclTemperaturesTest {
  @Test
  void splitsEachClassIntoClustersOfMinoritySizeButAtLeastTen() {
    assertArrayEquals(new int[] {99, 1}, SbclTemperatures.subclassCounts(new long[] {990, 10}));
    assertArrayEquals(new int[] {1, 10}, SbclTemperatures.subclassCounts(new long[] {5, 100}));
    assertArrayEquals(new int[] {3, 1}, SbclTemperatures.subclassCounts(new long[] {95, 30}));
  }

  /*
   * Reference (NumPy 2.4):
   *   rng = np.random.default_rng(0); z = rng.standard_normal((9, 3)).astype(np.float32)
   *   z /= np.linalg.norm(z, axis=1, keepdims=True); labels = [0]*6 + [1]*3
   *   d[c] = np.linalg.norm(z[c] - z[c].mean(0), axis=1).mean() / np.log(n_c + 10)
   *   d = d.clip(np.percentile(d, 20), np.percentile(d, 80)); tau_c = 0.1 * d / d.mean()
   */
  private static final float[] Z = {0.1888171136379242f, -0.19839031994342804f,
      0.9617636203765869f, 0.1602141559123993f, -0.8181289434432983f, 0.5522648692131042f,
      0.7415051460266113f, 0.5385470986366272f, -0.4001712501049042f, -0.8967022895812988f,
      -0.4416643977165222f, 0.029284391552209854f, -0.8784068822860718f, -0.08266045153141022f,
      -0.4707106649875641f, -0.7583158016204834f, -0.5636195540428162f, -0.3275516927242279f,
      0.36486175656318665f, 0.9240647554397583f, -0.11393076926469803f, 0.875998318195343f,
      -0.4264361560344696f, 0.22534246742725372f, 0.7696741223335266f, 0.08008989691734314f,
      -0.6333935260772705f};
  private static final int[] LABELS = {0, 0, 0, 0, 0, 0, 1, 1, 1};

  @Test
  void classTemperaturesMatchNumPy() {
    double[] t = SbclTemperatures.classTemperatures(Z, 9, 3, LABELS, new int[] {2, 2}, 0.1);
    assertEquals(0.10620869002616835, t[0], 1e-7);
    assertEquals(0.09379130997383164, t[1], 1e-7);
  }

  @Test
  void aClassWithASingleSubclassKeepsTheBaseTemperature() {
    double[] t = SbclTemperatures.classTemperatures(Z, 9, 3, LABELS, new int[] {2, 1}, 0.1);
    assertEquals(0.10620869002616835, t[0], 1e-7);
    assertEquals(0.1, t[1], 0);
  }

  @Test
  void rejectsAClassWithoutEmbeddings() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SbclTemperatures.classTemperatures(Z, 9, 3, new int[9], new int[] {2, 2}, 0.1));
    assertTrue(e.getMessage().contains("class 1 has no embeddings"), e.getMessage());
  }

  @Test
  void percentileInterpolatesLikeNumPy() {
    // np.percentile([1, 2, 4, 10], 20) == 1.6; 80 -> 6.4
    assertEquals(1.6, SbclTemperatures.percentile(new double[] {4, 1, 10, 2}, 20), 1e-12);
    assertEquals(6.4, SbclTemperatures.percentile(new double[] {4, 1, 10, 2}, 80), 1e-12);
  }
}
