package org.ttcspark.loss;

/** The two losses of SBCL; configuration words {@code ccl} and {@code rank}. */
public enum SbclVariant {
  /** Subclass term plus gamma times a SupCon-style class term with the common denominator. */
  CCL,
  /** Subclass term plus gamma times a ranking class term with per-class temperatures. */
  RANK
}
