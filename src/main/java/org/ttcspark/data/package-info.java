/**
 * Data stage: reads the sources (iNat21, MedMNIST, FracAtlas, ImageFolder, synthetic), samples
 * the artificial imbalance and writes prepared Parquet datasets with their manifest.
 * <p>Depends on {@code config} and {@code platform}; never on training or evaluation.
 */
package org.ttcspark.data;
