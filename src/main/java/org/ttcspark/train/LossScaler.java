package org.ttcspark.train;

import java.util.Map;

/**
 * Dynamic loss scaling for fp16 training, with the semantics of PyTorch's
 * {@code torch.cuda.amp.GradScaler}: the loss gradient is multiplied by the scale before the
 * backward so that small gradients survive fp16; the fp32 gradient is divided by it again; a
 * step whose gradient is not finite is skipped and halves the scale, and every
 * {@code growthInterval} finite steps in a row double it. The state lives on the driver and goes
 * into every checkpoint, so that a resumed run scales (and skips) exactly as the uninterrupted
 * one.
 */
public final class LossScaler {
  /** GradScaler's defaults: 2^16, x2 after 2000 finite steps, x0.5 on a non-finite one. */
  public static final double INITIAL_SCALE = 65536.0;
  public static final double GROWTH_FACTOR = 2.0;
  public static final double BACKOFF_FACTOR = 0.5;
  public static final int GROWTH_INTERVAL = 2000;
  /** The checkpoint entry: {@code [scale, finite steps since the last change]}. */
  public static final String STATE_KEY = "loss-scale";

  private final double growthFactor;
  private final double backoffFactor;
  private final int growthInterval;
  private double scale;
  private int growthTracker;

  /** GradScaler's defaults. */
  public LossScaler() {
    this(INITIAL_SCALE, GROWTH_FACTOR, BACKOFF_FACTOR, GROWTH_INTERVAL);
  }

  /**
   * @param initialScale the first scale, above 0
   * @param growthFactor above 1
   * @param backoffFactor in (0, 1)
   * @param growthInterval finite steps in a row before the scale grows, at least 1
   */
  public LossScaler(double initialScale, double growthFactor, double backoffFactor,
      int growthInterval) {
    if (!(initialScale > 0) || !(growthFactor > 1) || !(backoffFactor > 0 && backoffFactor < 1)
        || growthInterval < 1) {
      throw new IllegalArgumentException("loss scaling needs a scale > 0, growth > 1, backoff in "
          + "(0, 1) and an interval >= 1, not " + initialScale + ", " + growthFactor + ", "
          + backoffFactor + ", " + growthInterval);
    }
    this.scale = initialScale;
    this.growthFactor = growthFactor;
    this.backoffFactor = backoffFactor;
    this.growthInterval = growthInterval;
  }

  /** What the loss gradient is multiplied by before the next backward. */
  public double scale() {
    return scale;
  }

  /** The loss gradient rows multiplied by the scale (new arrays). */
  public float[] scaled(float[] gradient) {
    return scaled(gradient, scale);
  }

  /** {@code gradient} multiplied by {@code scale} (a new array). */
  public static float[] scaled(float[] gradient, double scale) {
    float s = (float) scale;
    float[] out = new float[gradient.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = gradient[i] * s;
    }
    return out;
  }

  /**
   * Records the outcome of the step taken with {@link #scale}: backs off when its gradient was
   * not finite (the caller skips the update), else counts towards growth.
   *
   * @return whether the step's update is applied
   */
  public boolean update(boolean finite) {
    if (!finite) {
      scale *= backoffFactor;
      growthTracker = 0;
      return false;
    }
    growthTracker++;
    if (growthTracker == growthInterval) {
      scale *= growthFactor;
      growthTracker = 0;
    }
    return true;
  }

  /** Divides {@code gradient} by {@code scale} in place; true when every value is finite. */
  public static boolean unscale(float[] gradient, int from, int length, double scale) {
    float inverse = (float) (1.0 / scale);
    boolean finite = true;
    for (int i = from; i < from + length; i++) {
      float g = gradient[i] * inverse;
      gradient[i] = g;
      finite &= Float.isFinite(g);
    }
    return finite;
  }

  /** Adds this scaler's state to {@code state} under {@link #STATE_KEY}. */
  public void saveTo(Map<String, double[]> state) {
    state.put(STATE_KEY, new double[] {scale, growthTracker});
  }

  /**
   * Takes the state {@link #saveTo} saved; keeps the initial state when {@code state} has none
   * (a checkpoint of an fp32 or bf16 run continued in fp16).
   *
   * @return whether a saved state was taken
   */
  public boolean restoreFrom(Map<String, double[]> state) {
    double[] s = state == null ? null : state.get(STATE_KEY);
    if (s == null) {
      return false;
    }
    if (s.length != 2 || !(s[0] > 0) || s[1] < 0) {
      throw new IllegalArgumentException("the checkpoint's " + STATE_KEY + " entry is not a "
          + "loss scaler's state (scale, finite steps)");
    }
    scale = s[0];
    growthTracker = (int) s[1];
    return true;
  }
}
