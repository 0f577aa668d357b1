/**
 * Evaluation maths, pure (arrays in, numbers out; no Spark or BigDL): the representation
 * metrics of the paper (SAA, CAC, SAD, CAD, Gaussian-potential uniformity, sub-type k-NN) as
 * a block-wise {@link org.ttcspark.metrics.NeighbourScan} feeding a mergeable
 * {@link org.ttcspark.metrics.RepresentationAccumulator}, the probe's classification scores,
 * and the {@code metrics} / {@code probe} configuration records. The Spark adapters are in
 * {@code metrics.spark}, plots in {@code metrics.plot}.
 * <p>Depends on {@code config}; never on {@code train}.
 */
package org.ttcspark.metrics;
