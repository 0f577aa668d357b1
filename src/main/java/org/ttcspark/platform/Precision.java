package org.ttcspark.platform;

/**
 * The arithmetic of the torch engine's convolutions and linear layers
 * ({@code engine.precision}), as PyTorch's autocast: the low-precision kinds cast weights and
 * inputs from the fp32 master vector inside the graph, so every gradient that leaves the engine,
 * the all-reduce, the optimiser state and the checkpoints stay fp32 and interchangeable with
 * fp32 runs and the BigDL engines.
 */
public enum Precision {
  /** Everything in float32. */
  FP32,
  /**
   * bfloat16 (fp32's exponent range, no loss scaling): refused by the configuration, as DJL
   * 0.33's native type table has no bfloat16 and aborts the process when asked for one.
   */
  BF16,
  /** IEEE half: gradients below 2^-24 vanish, so the loss is scaled ({@code LossScaler}). */
  FP16;

  /** The key's value, as written in the configuration. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the loss must be scaled to keep small gradients representable. */
  public boolean scalesLoss() {
    return this == FP16;
  }
}
