package org.ttcspark.platform;

/**
 * Seed derivation shared by every stage: SplitMix64's output function (Steele, Lea and Flood,
 * OOPSLA 2014), a bijection that changes about half the output bits for any input bit. Fixed
 * forever, since changing it would change every draw of every run.
 */
public final class Seeds {
  /** SplitMix64's increment, the odd integer closest to 2^64 / golden ratio. */
  public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** SplitMix64's finaliser. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The seed of draw {@code n} of a stream seeded with {@code seed}: SplitMix64's n+1-th output. */
  public static long derive(long seed, long n) {
    return mix64(seed + (n + 1) * GOLDEN_GAMMA);
  }
}
