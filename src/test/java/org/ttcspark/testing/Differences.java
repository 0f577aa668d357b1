package org.ttcspark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How far two outputs of the same computation lie apart, for cross-engine and export checks. */
public final class Differences {
  private Differences() {}

  /**
   * The largest absolute difference of corresponding elements.
   *
   * @throws org.opentest4j.AssertionFailedError when the lengths differ
   */
  public static double maxAbs(float[] a, float[] b) {
    assertEquals(b.length, a.length, "output size");
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
