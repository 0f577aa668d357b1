/**
 * The distributed part of {@code embed}: images decoded, transformed and forwarded through the
 * encoder on the executors, batch by batch; the driver only plans and writes.
 */
package org.ttcspark.embed.spark;
