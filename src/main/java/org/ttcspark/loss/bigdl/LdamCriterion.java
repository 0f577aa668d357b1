package org.ttcspark.loss.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.Arrays;
import org.ttcspark.loss.LdamLoss;
import org.ttcspark.loss.LossResult;
import org.ttcspark.platform.Bigdl;

/**
 * {@link LdamLoss} as a BigDL criterion, with the {@code [B, 2]} target of the other criteria
 * (column 0 the label). Input: the classifier's logits {@code [B, C]}.
 */
public final class LdamCriterion
    extends AbstractCriterion<Tensor<Object>, Tensor<Object>, Object> {
  private static final long serialVersionUID = 1L;

  private final LdamLoss loss;

  /** @param loss LDAM with its margins, scale and class weights */
  public LdamCriterion(LdamLoss loss) {
    super(ContrastiveCriterion.tensorTag(), ContrastiveCriterion.tensorTag(), Bigdl.FLOAT,
        Bigdl.NUMERIC);
    this.loss = loss;
  }

  @Override
  public Object updateOutput(Tensor<Object> input, Tensor<Object> target) {
    Targets t = Targets.of(target);
    if (input.dim() != 2 || input.size(1) != t.batch()) {
      throw new IllegalArgumentException("LDAM input has shape "
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
