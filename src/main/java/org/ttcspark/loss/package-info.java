/**
 * Loss stage: the contrastive losses of the paper and its baselines (SimCLR, SupCon, SupMin,
 * SupProto, SBCL, KCL/TSC, BCL's BalSCL, PaCo), weighted, logit-adjusted and LDAM
 * cross-entropy and class-balanced weights as a pure core: arrays in, loss and
 * analytic gradient out, view-major rows as in README, "Losses". {@link org.ttcspark.loss.LossConfig}
 * reads the {@code loss} section. {@code loss.impl} holds the shared kernel; {@code loss.bigdl}
 * holds the BigDL criteria, the only classes here that see BigDL tensors.
 *
 * <p>Depends on {@code config} only (and on BigDL's MKL binding inside {@code impl}); nothing here
 * uses Spark.
 */
package org.ttcspark.loss;
