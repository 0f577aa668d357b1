package org.ttcspark.loss;

/**
 * The one place where rows change order between the two layouts of V views of B samples:
 *
 * <ul>
 *   <li><b>sample-major</b> (row {@code i*V + v} is view v of sample i): PyTorch's
 *       {@code [B, V, D]} features and the BigDL model's output, whose mini-batch slicing must keep
 *       the views of a sample together ("interleaved" for V = 2);
 *   <li><b>view-major</b> (row {@code v*B + i}): what the losses, the fixtures and README, "Losses" use.
 * </ul>
 */
public final class Views {
  private Views() {}

  /**
   * Sample-major {@code [B*V, D]} to view-major {@code [V*B, D]}.
   *
   * @throws IllegalArgumentException when the length is not {@code B*V*D}
   */
  public static float[] toViewMajor(float[] sampleMajor, int batch, int views, int dim) {
    return reorder(sampleMajor, batch, views, dim, true);
  }

  /**
   * View-major {@code [V*B, D]} back to sample-major {@code [B*V, D]}.
   *
   * @throws IllegalArgumentException when the length is not {@code B*V*D}
   */
  public static float[] toSampleMajor(float[] viewMajor, int batch, int views, int dim) {
    return reorder(viewMajor, batch, views, dim, false);
  }

  private static float[] reorder(float[] x, int batch, int views, int dim, boolean toViewMajor) {
    check(x, batch, views, dim);
    float[] out = new float[x.length];
    for (int i = 0; i < batch; i++) {
      for (int v = 0; v < views; v++) {
        int sampleMajor = (i * views + v) * dim;
        int viewMajor = (v * batch + i) * dim;
        System.arraycopy(x, toViewMajor ? sampleMajor : viewMajor, out,
            toViewMajor ? viewMajor : sampleMajor, dim);
      }
    }
    return out;
  }

  private static void check(float[] x, int batch, int views, int dim) {
    if ((long) batch * views * dim != x.length) {
      throw new IllegalArgumentException("features hold " + x.length + " values, not "
          + batch + " samples x " + views + " views x " + dim + " dims");
    }
  }
}
