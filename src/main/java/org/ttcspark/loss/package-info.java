/**
 * Loss stage: the contrastive losses of the paper and its baselines as a pure core (arrays in,
 * loss and gradient out) plus one BigDL criterion adapter.
 * <p>Depends on {@code config} and {@code platform}; the pure core has no Spark or BigDL types in
 * its API.
 */
package org.ttcspark.loss;
