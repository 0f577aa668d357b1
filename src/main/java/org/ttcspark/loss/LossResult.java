package org.ttcspark.loss;

/**
 * A loss value and its gradient with respect to the loss's input.
 *
 * @param loss the loss (mean over anchors or samples)
 * @param grad dLoss/dInput, same layout as the input ({@code [V*B, D]} view-major projections, or
 *     {@code [B, 2]} logits for cross-entropy); not copied
 */
public record LossResult(double loss, float[] grad) {}
