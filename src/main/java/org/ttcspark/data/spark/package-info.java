/**
 * The Spark side of the data stage: the {@code prepare} job ({@link
 * org.ttcspark.data.spark.PrepareJob}) and the source readers it plans and loads with. The
 * driver lists (fanning folder listings out to executors), checks the input and samples ids
 * with {@link org.ttcspark.data.Sampling}; reading, decoding, validation and pixel statistics
 * run on the executors. Pure image and sampling code lives in {@code org.ttcspark.data}.
 */
package org.ttcspark.data.spark;
