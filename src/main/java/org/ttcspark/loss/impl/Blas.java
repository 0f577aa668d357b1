package org.ttcspark.loss.impl;

import com.intel.analytics.bigdl.mkl.MKL;

/**
 * The dense kernels of the contrastive losses: MKL (through BigDL's JNI binding) when its native
 * library loaded, plain Java loops otherwise, so that the losses also run where MKL cannot.
 *
 * <p>Matrices are row-major {@code float[]}. MKL's gemm is column-major (Fortran); a row-major
 * {@code [r, c]} array is the column-major {@code [c, r]} matrix, which is how the calls below
 * are written. Not thread-confined: every method works on its arguments only.
 */
public final class Blas {
  private static final boolean MKL_LOADED = loadMkl();

  private Blas() {}

  /** True when the native MKL routines are used. */
  public static boolean mkl() {
    return MKL_LOADED;
  }

  /**
   * The Gram matrix {@code s = z z^T}.
   *
   * @param z row-major {@code [n, d]}
   * @param s output, row-major {@code [n, n]} (symmetric)
   */
  public static void gram(float[] z, int n, int d, float[] s) {
    if (MKL_LOADED) {
      // column-major: S(n x n) = Zc^T (n x d) * Zc (d x n), where Zc = z seen as [d, n]
      MKL.vsgemm('T', 'N', n, n, d, 1f, z, 0, d, z, 0, d, 0f, s, 0, n);
      return;
    }
    for (int a = 0; a < n; a++) {
      for (int b = a; b < n; b++) {
        float dot = 0f;
        for (int k = 0; k < d; k++) {
          dot += z[a * d + k] * z[b * d + k];
        }
        s[a * n + b] = dot;
        s[b * n + a] = dot;
      }
    }
  }

  /**
   * {@code out = alpha * h z} for a symmetric {@code h}.
   *
   * @param h row-major {@code [n, n]}, symmetric (so its row- and column-major forms agree)
   * @param z row-major {@code [n, d]}
   * @param out output, row-major {@code [n, d]}
   */
  public static void symmetricTimes(float[] h, float[] z, int n, int d, float alpha, float[] out) {
    if (MKL_LOADED) {
      // column-major: OUTc (d x n) = Zc (d x n) * H (n x n)
      MKL.vsgemm('N', 'N', d, n, n, alpha, z, 0, d, h, 0, n, 0f, out, 0, d);
      return;
    }
    java.util.Arrays.fill(out, 0, n * d, 0f);
    for (int a = 0; a < n; a++) {
      for (int c = 0; c < n; c++) {
        float w = alpha * h[a * n + c];
        if (w != 0f) {
          for (int k = 0; k < d; k++) {
            out[a * d + k] += w * z[c * d + k];
          }
        }
      }
    }
  }

  /** {@code y[i] = exp(x[i])} for {@code i < n}. */
  public static void exp(double[] x, double[] y, int n) {
    if (MKL_LOADED) {
      MKL.vdExp(n, x, 0, y, 0);
      return;
    }
    for (int i = 0; i < n; i++) {
      y[i] = Math.exp(x[i]);
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
