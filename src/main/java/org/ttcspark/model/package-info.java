/**
 * The BigDL encoder: ResNet backbones, projection head, L2 normalisation, MKL-DNN conversion,
 * checkpoints in BigDL's module format.
 * <p>Depends on {@code config} and {@code platform}.
 */
package org.ttcspark.model;
