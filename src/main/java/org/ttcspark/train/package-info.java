/**
 * Training: {@code pretrain} and {@code train-ce} on BigDL's DistriOptimizer, learning-rate
 * schedule, logging, checkpoints and resume; the loss seam ({@link org.ttcspark.train.LossSeam})
 * through which every trainer gets what the loss needs per epoch (SBCL's subclasses, data
 * prototypes); the heads BCL and PaCo train on the driver in the global loss scope
 * ({@link org.ttcspark.train.DriverObjective}); the collapse detector and the online k-NN evaluation (pure: {@code
 * CollapseDetector}, {@code OnlineKnn}; its k-NN is its own because {@code metrics} is out of
 * reach).
 * <p>Depends on {@code model}, {@code loss}, {@code augment}, {@code data}; never on {@code embed},
 * {@code metrics}, {@code sweep} or {@code cli}.
 */
package org.ttcspark.train;
