package org.ttcspark.loss;

/** Where SupProto's prototypes come from ({@code loss.prototypes}). */
public enum PrototypeSource {
  /** {@code [p, -p]} for a random unit p drawn from the run seed (the reference). */
  RANDOM,
  /** {@code [p, -p]} for p = minus the normalised mean of given projections. */
  DATA
}
