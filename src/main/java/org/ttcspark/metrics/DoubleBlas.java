package org.ttcspark.metrics;

import com.intel.analytics.bigdl.mkl.MKL;

/**
 * The float64 dense kernels of the neighbour scan: MKL (through BigDL's JNI binding) when its
 * native library loaded, plain Java loops otherwise, so that the metrics also run where MKL
 * cannot. Float64 because distances come from 2 - 2 x.y, which cancels for near neighbours:
 * float32 would leave d with a relative error of 1e-3 at d = 0.01.
 *
 * <p>Matrices are row-major {@code double[]}. MKL's gemm is column-major; a row-major
 * {@code [r, c]} array is the column-major {@code [c, r]} matrix, which is how the calls are
 * written. For fixed shapes MKL's results are the same on every call on one machine (it packs
 * its operands into its own aligned buffers), which the bit-for-bit partition independence of
 * the metrics relies on.
 */
final class DoubleBlas {
  private static final boolean MKL_LOADED = loadMkl();

  private DoubleBlas() {}

  /** True when the native MKL routines are used. */
  static boolean mkl() {
    return MKL_LOADED;
  }

  /**
   * One MKL thread for the calling task: the scan runs one task per core already, and MKL's
   * own threads would only contend with the other tasks. No-op without MKL.
   */
  static void oneThread() {
    if (MKL_LOADED) {
      MKL.setNumThreads(1);
    }
  }

  /**
   * {@code g = x y^T}: {@code g[i * c + j] = x_i . y_j}.
   *
   * @param x row-major {@code [r, dim]} starting at {@code x[xOff]}
   * @param y row-major {@code [c, dim]}
   * @param g output, row-major {@code [r, c]}
   */
  static void gram(double[] x, int xOff, int r, double[] y, int c, int dim, double[] g) {
    if (r == 0 || c == 0) {
      return;
    }
    if (MKL_LOADED && dim > 0) {
      // column-major: G^T (c x r) = Yc^T (c x dim) * Xc (dim x r), Yc = y seen as [dim, c]
      MKL.vdgemm('T', 'N', c, r, dim, 1.0, y, 0, dim, x, xOff, dim, 0.0, g, 0, c);
      return;
    }
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
          s += x[xOff + i * dim + d] * y[j * dim + d];
        }
        g[i * c + j] = s;
      }
    }
  }

  /**
   * {@code out = a h}: for every row of {@code a} its sums over the columns of each class.
   *
   * @param a row-major {@code [r, c]}
   * @param h row-major {@code [c, 2]}, the one-hot class of each column
   * @param out output, row-major {@code [r, 2]}
   */
  static void classSums(double[] a, int r, int c, double[] h, double[] out) {
    if (r == 0) {
      return;
    }
    if (MKL_LOADED && c > 0) {
      // column-major: OUT^T (2 x r) = H^T (2 x c) * A^T (c x r)
      MKL.vdgemm('N', 'N', 2, r, c, 1.0, h, 0, 2, a, 0, c, 0.0, out, 0, 2);
      return;
    }
    for (int i = 0; i < r; i++) {
      double s0 = 0;
      double s1 = 0;
      for (int j = 0; j < c; j++) {
        s0 += a[i * c + j] * h[2 * j];
        s1 += a[i * c + j] * h[2 * j + 1];
      }
      out[2 * i] = s0;
      out[2 * i + 1] = s1;
    }
  }

  /** {@code a[off + i] = exp(a[off + i])} for {@code i < n}. */
  static void expInPlace(double[] a, int off, int n) {
    if (n == 0) {
      return;
    }
    if (MKL_LOADED) {
      MKL.vdExp(n, a, off, a, off);
      return;
    }
    for (int i = off; i < off + n; i++) {
      a[i] = Math.exp(a[i]);
    }
  }

  private static boolean loadMkl() {
    try {
      return MKL.isMKLLoaded();
    } catch (LinkageError e) {
      return false;
    }
  }
}
