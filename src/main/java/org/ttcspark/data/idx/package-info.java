/**
 * Pure readers of the IDX format (MNIST, Fashion-MNIST): streams in, arrays out. No Spark,
 * no Hadoop; the callers open the streams.
 */
package org.ttcspark.data.idx;
