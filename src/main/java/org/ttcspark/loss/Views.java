package org.ttcspark.loss;

/**
 * The one place where rows change order between the two layouts of V views of B samples:
 *
 * <ul>
 *   <li><b>sample-major</b> (row {@code i*V + v} is view v of sample i): PyTorch's
 *       {@code [B, V, D]} features and the BigDL model's output, whose mini-batch slicing must keep
 *       the views of a sample together ("interleaved" for V = 2);
 *   <li><b>view-major</b> (row {@code v*B + i}): what the losses, the fixtures and SPEC §3 use.
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
    check(sampleMajor, batch, views, dim);
    float[] out = new float[sampleMajor.length];
    for (int i = 0; i < batch; i++) {
      for (int v = 0; v < views; v++) {
        System.arraycopy(sampleMajor, (i * views + v) * dim, out, (v * batch + i) * dim, dim);
      }
    }
    return out;
  }

  /**
   * View-major {@code [V*B, D]} back to sample-major {@code [B*V, D]}.
   *
   * @throws IllegalArgumentException when the length is not {@code B*V*D}
   */
  public static float[] toSampleMajor(float[] viewMajor, int batch, int views, int dim) {
    check(viewMajor, batch, views, dim);
    float[] out = new float[viewMajor.length];
    for (int i = 0; i < batch; i++) {
      for (int v = 0; v < views; v++) {
        System.arraycopy(viewMajor, (v * batch + i) * dim, out, (i * views + v) * dim, dim);
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
