package org.ttcspark.loss;

import java.io.Serializable;

/** A loss over a classifier's logits: the weighted cross-entropy and LDAM. */
public interface ClassificationLoss extends Serializable {
  /**
   * @param logits row-major {@code [B, C]}
   * @param labels {@code [B]}, in 0..C-1
   * @return the loss and its gradient with respect to the logits
   */
  LossResult compute(float[] logits, int[] labels);
}
