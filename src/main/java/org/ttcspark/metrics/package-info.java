/**
 * Evaluation: linear probes and the representation metrics of the paper (SAA, CAC, SAD, CAD,
 * Gaussian-potential uniformity), pure accumulators plus distributed block-wise neighbours.
 * <p>Depends on {@code data} and {@code config}; never on {@code train}.
 */
package org.ttcspark.metrics;
