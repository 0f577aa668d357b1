/**
 * Augmentations run on the executors: the SimCLR recipe, the grayscale medical variant and the
 * evaluation transform. Pure functions of (image, seeded random).
 * <p>Depends on {@code config} only.
 */
package org.ttcspark.augment;
