/**
 * The two adapters to the runtime: {@link org.ttcspark.platform.Bigdl} hides BigDL's Scala
 * implicits and companion objects, {@link org.ttcspark.platform.SparkRuntime} owns the
 * SparkSession and the BigDL Engine set-up. Also Hadoop-path file helpers (atomic writes).
 * <p>Depends only on {@code config}.
 */
package org.ttcspark.platform;
