/**
 * A model of one training iteration's time on N executors, for deciding how many executors to
 * rent before renting them (README, "Scaling"): the compute of an executor's B / N samples, the
 * all-reduce of the parameter vector over a network of given bandwidth and latency, Spark's
 * scheduling of the iteration's jobs and, in global scope, the loss on the driver. Each term is
 * measured on one machine ({@code ttc bench --mode scaling}) and extrapolated here.
 *
 * <p>Pure: numbers in, numbers out, no Spark or BigDL; measuring lives in
 * {@code train.bigdl.ScalingBench}.
 */
package org.ttcspark.train.scaling;
