/**
 * Augmentations run on the executors: the SimCLR recipe, the grayscale medical variant and the
 * evaluation transform, with torchvision's semantics. Pure, deterministic functions of
 * (image, seed) over float arrays: no Spark or BigDL here.
 *
 * <p>API: {@link org.ttcspark.augment.Image}, {@link org.ttcspark.augment.ViewTransform},
 * {@link org.ttcspark.augment.AugmentConfig} and {@link org.ttcspark.augment.Augmentations}.
 * The package-private classes are the kernels (resampling, colour operations, the draws).
 *
 * <p>Depends on {@code config} only.
 */
package org.ttcspark.augment;
