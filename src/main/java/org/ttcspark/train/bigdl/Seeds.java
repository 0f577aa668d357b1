package org.ttcspark.train.bigdl;

/** Derived seeds: one stream per purpose and epoch from the run seed. */
final class Seeds {
  private Seeds() {}

  /** SplitMix64's finaliser over {@code seed} and {@code salt}: distinct salts, unrelated seeds. */
  static long mix(long seed, long salt) {
    long z = seed + (salt + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
