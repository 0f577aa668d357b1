/**
 * The Spark side of evaluation: the distributed block-wise neighbour search
 * ({@link org.ttcspark.metrics.spark.DistributedMetrics}), reading stored embeddings into a
 * view-major stack ({@link org.ttcspark.metrics.spark.EmbeddingStack}), the MLlib linear probe,
 * the MLlib PCA projection for plots and the scale benchmark. All maths lives in the pure
 * {@code org.ttcspark.metrics} package; this package only moves blocks and rows.
 * <p>Depends on {@code metrics}, {@code embed} (the embeddings schema only), {@code data.npy}
 * and {@code platform}.
 */
package org.ttcspark.metrics.spark;
