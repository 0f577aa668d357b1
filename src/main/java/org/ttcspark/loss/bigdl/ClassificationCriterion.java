package org.ttcspark.loss.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.Arrays;
import org.ttcspark.loss.ClassificationLoss;
import org.ttcspark.loss.LossResult;
import org.ttcspark.platform.Bigdl;

/**
 * A {@link ClassificationLoss} (weighted cross-entropy, LDAM) as a BigDL criterion with the same
 * {@code [B, 2]} target as the contrastive criteria (column 0 the label, column 1 ignored), so
 * the classifiers read the same training data. Input: logits {@code [B, C]}. For the weighted
 * cross-entropy BigDL's own {@code CrossEntropyCriterion(weights, sizeAverage = true)} computes
 * the same value and gradient but wants 1-based class targets of shape {@code [B]}.
 */
public final class ClassificationCriterion
    extends AbstractCriterion<Tensor<Object>, Tensor<Object>, Object> {
  private static final long serialVersionUID = 1L;

  private final ClassificationLoss loss;

  /** @param loss the loss over the logits (its class weights fixed at construction) */
  public ClassificationCriterion(ClassificationLoss loss) {
    super(ContrastiveCriterion.tensorTag(), ContrastiveCriterion.tensorTag(), Bigdl.FLOAT,
        Bigdl.NUMERIC);
    this.loss = loss;
  }

  @Override
  public Object updateOutput(Tensor<Object> input, Tensor<Object> target) {
    Targets t = Targets.of(target);
    if (input.dim() != 2 || input.size(1) != t.batch()) {
      throw new IllegalArgumentException("classification loss input has shape "
          + Arrays.toString(input.size()) + "; expected [" + t.batch() + ", classes] logits");
    }
    LossResult r = loss.compute(Bigdl.toArray(input), t.labels());
    Tensor<Object> g = gradInput().resizeAs(input);
    System.arraycopy(r.grad(), 0, Bigdl.floats(g), g.storageOffset() - 1, r.grad().length);
    output_$eq((float) r.loss());
    return output();
  }

  @Override
  public Tensor<Object> updateGradInput(Tensor<Object> input, Tensor<Object> target) {
    updateOutput(input, target);
    return gradInput();
  }
}
