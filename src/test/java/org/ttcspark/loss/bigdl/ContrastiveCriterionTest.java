package org.ttcspark.loss.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.intel.analytics.bigdl.nn.CrossEntropyCriterion;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.lang3.SerializationUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttcspark.loss.ContrastiveBatch;
import org.ttcspark.loss.GoldenLossCase;
import org.ttcspark.loss.LossBenchmark;
import org.ttcspark.loss.LossResult;
import org.ttcspark.loss.SupConLoss;
import org.ttcspark.loss.Views;
import org.ttcspark.loss.WeightedCrossEntropy;
import org.ttcspark.platform.Bigdl;

/**
 * The criterion on the fixtures: the model's sample-major output in, the core's loss and gradient
 * (reordered back to sample-major) out.
 */
class ContrastiveCriterionTest {
  static List<Path> fixtures() {
    return GoldenLossCase.files();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void forwardAndBackwardGiveTheCoresLossAndGradient(Path file) {
    GoldenLossCase c = GoldenLossCase.read(file);
    ContrastiveBatch batch = c.batch();
    LossResult core = c.loss().compute(batch, 0);
    // the fixture's [B, V, D] features are exactly the model's sample-major [B*V, D] rows
    Tensor<Object> input = Bigdl.tensor(c.sampleMajor(), c.batchSize() * c.views(), c.dim());
    Tensor<Object> target = target(c.batchSize(), c.labels(), c.clusters());
    // a serialised copy, as DistriOptimizer ships the criterion to the executors
    ContrastiveCriterion criterion = SerializationUtils.clone(
        new ContrastiveCriterion(c.loss(), 0, c.views()));
    float loss = (Float) criterion.forward(input, target);
    float[] grad = Bigdl.toArray(criterion.backward(input, target));
    assertEquals((float) core.loss(), loss, 0f, c.name());
    assertArrayEquals(Views.toSampleMajor(core.grad(), c.batchSize(), c.views(), c.dim()), grad,
        0f, c.name());
    c.assertMatchesFixture(loss, Views.toViewMajor(grad, c.batchSize(), c.views(), c.dim()));
  }

  @Test
  void acceptsOneTargetRowPerInputRow() {
    Tensor<Object> input = Bigdl.tensor(unitRows(8, 4), 8, 4);
    ContrastiveCriterion perSample = new ContrastiveCriterion(SupConLoss.supcon(0.1, 0.1), 1);
    ContrastiveCriterion perRow = new ContrastiveCriterion(SupConLoss.supcon(0.1, 0.1), 1);
    float expected = (Float) perSample.forward(input, target(4, new int[] {0, 1, 1, 0}, null));
    Tensor<Object> rows = target(8, new int[] {0, 0, 1, 1, 1, 1, 0, 0}, null);
    assertEquals(expected, (Float) perRow.forward(input, rows), 0f);
    assertArrayEquals(Bigdl.toArray(perSample.backward(input, target(4,
        new int[] {0, 1, 1, 0}, null))), Bigdl.toArray(perRow.backward(input, rows)), 0f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> perRow.forward(input, target(8, new int[] {0, 1, 1, 1, 1, 1, 0, 0}, null)));
    assertTrue(e.getMessage().contains("views of sample 0"), e.getMessage());
  }

  @Test
  void randomChoicesAreSeededAndAdvancePerCall() {
    float[] z = unitRows(24, 4);
    Tensor<Object> input = Bigdl.tensor(z, 24, 4);
    float[] t = new float[24];
    for (int i = 0; i < 12; i++) {
      t[2 * i] = i < 3 ? 1 : 0;
      t[2 * i + 1] = -1;
    }
    Tensor<Object> target = Bigdl.tensor(t, 12, 2);
    ContrastiveCriterion a = new ContrastiveCriterion(SupConLoss.supmin(0.1, 0.1, 1, 0.5), 42);
    ContrastiveCriterion b = SerializationUtils.clone(a);
    float first = (Float) a.forward(input, target);
    float second = (Float) a.forward(input, target);
    assertNotEquals(first, second, "the majority subset must change between calls");
    assertEquals(first, (Float) b.forward(input, target), 0f, "same seed, same first draw");
    assertEquals(2, a.calls());
  }

  @Test
  void backwardWithoutForwardComputesTheGradient() {
    Tensor<Object> input = Bigdl.tensor(unitRows(8, 4), 8, 4);
    Tensor<Object> target = target(4, new int[] {0, 1, 0, 1}, null);
    ContrastiveCriterion a = new ContrastiveCriterion(SupConLoss.supcon(0.1, 0.1), 1);
    ContrastiveCriterion b = new ContrastiveCriterion(SupConLoss.supcon(0.1, 0.1), 1);
    a.forward(input, target);
    assertArrayEquals(Bigdl.toArray(a.backward(input, target)),
        Bigdl.toArray(b.backward(input, target)), 0f);
  }

  @Test
  void rejectsInputsThatDoNotFitTheTarget() {
    ContrastiveCriterion c = new ContrastiveCriterion(SupConLoss.supcon(0.1, 0.1), 1);
    Tensor<Object> target = target(3, new int[] {0, 1, 0}, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.forward(Bigdl.tensor(unitRows(8, 4), 8, 4), target));
    assertTrue(e.getMessage().contains("the target has 3 rows"), e.getMessage());
    Tensor<Object> mixed = Bigdl.tensor(new float[] {0, 1, 1, -1}, 2, 2);
    e = assertThrows(IllegalArgumentException.class,
        () -> c.forward(Bigdl.tensor(unitRows(4, 4), 4, 4), mixed));
    assertTrue(e.getMessage().contains("no cluster id"), e.getMessage());
  }

  @Test
  void weightedCrossEntropyEqualsBigdlsClassificationCriterion() {
    float[] logits = {0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 0.1f, 1.5f, 1.4f};
    int[] labels = {0, 1, 1, 0};
    WeightedCrossEntropy ce = WeightedCrossEntropy.fromCounts(new long[] {7, 3});
    ClassificationCriterion ours = new ClassificationCriterion(ce);
    Tensor<Object> input = Bigdl.tensor(logits, 4, 2);
    float loss = (Float) ours.forward(input, target(4, labels, null));
    float[] grad = Bigdl.toArray(ours.backward(input, target(4, labels, null)));
    CrossEntropyCriterion<Object> bigdl = new CrossEntropyCriterion<>(
        Bigdl.tensor(new float[] {(float) ce.weights()[0], (float) ce.weights()[1]}, 2), true,
        Bigdl.FLOAT, Bigdl.NUMERIC);
    Tensor<Object> oneBased = Bigdl.tensor(new float[] {1, 2, 2, 1}, 4);
    float theirs = (Float) bigdl.forward(input, oneBased);
    assertEquals(theirs, loss, 1e-6f);
    assertArrayEquals(Bigdl.toArray(bigdl.backward(input, oneBased)), grad, 1e-6f);
  }

  /** The criterion target [b, 2]: label (0 when null) and cluster id (-1 when null). */
  private static Tensor<Object> target(int b, int[] labels, int[] clusters) {
    float[] t = new float[2 * b];
    for (int i = 0; i < b; i++) {
      t[2 * i] = labels == null ? 0 : labels[i];
      t[2 * i + 1] = clusters == null ? -1 : clusters[i];
    }
    return Bigdl.tensor(t, b, 2);
  }

  private static float[] unitRows(int rows, int dim) {
    return LossBenchmark.randomUnitRows(rows, dim, rows);
  }
}
