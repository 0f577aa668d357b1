/**
 * Plots for the run report drawn with Java2D (headless, no Spark): the embedding scatter plot.
 * <p>Depends on nothing else of ttc-spark.
 */
package org.ttcspark.metrics.plot;
