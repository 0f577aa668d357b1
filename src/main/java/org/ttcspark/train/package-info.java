/**
 * Training: {@code pretrain} and {@code train-ce} on BigDL's DistriOptimizer, learning-rate
 * schedule, logging, checkpoints and resume.
 * <p>Depends on {@code model}, {@code loss}, {@code augment}, {@code data}; never on {@code embed},
 * {@code metrics}, {@code sweep} or {@code cli}.
 */
package org.ttcspark.train;
