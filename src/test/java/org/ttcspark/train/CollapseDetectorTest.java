package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ttcspark.loss.Collapse;
import org.ttcspark.loss.ContrastiveBatch;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.LossBenchmark;
import org.ttcspark.loss.SupConLoss;

class CollapseDetectorTest {
  private static final double REF = Math.log(31);
  private static final BatchStats COLLAPSED = new BatchStats(0.99, REF);

  private static CollapseDetector detector(int patience) {
    return new CollapseDetector(new CollapseConfig(0.02, 0.95, patience));
  }

  @Test
  void firesAfterPatienceConsecutiveIterationsOncePerEpoch() {
    CollapseDetector d = detector(3);
    assertTrue(d.observe(1, 1, REF, COLLAPSED).isEmpty());
    assertTrue(d.observe(1, 2, REF, COLLAPSED).isEmpty());
    Optional<CollapseDetector.Event> e = d.observe(1, 3, REF * 1.01, COLLAPSED);
    assertTrue(e.isPresent());
    assertEquals(new CollapseDetector.Event(1, 3, REF * 1.01, REF, 0.99), e.get());
    assertTrue(d.observe(1, 4, REF, COLLAPSED).isEmpty(), "once per epoch");
    assertTrue(d.observe(2, 5, REF, COLLAPSED).isPresent(), "again in the next epoch");
  }

  @Test
  void aBrokenStreakStartsAgain() {
    CollapseDetector d = detector(2);
    d.observe(1, 1, REF, COLLAPSED);
    assertTrue(d.observe(1, 2, REF, new BatchStats(0.5, REF)).isEmpty(), "cosine too low");
    assertTrue(d.observe(1, 3, REF, COLLAPSED).isEmpty());
    assertTrue(d.observe(1, 4, REF, COLLAPSED).isPresent());
  }

  @Test
  void needsBothTheLossAndTheCosine() {
    CollapseDetector d = detector(1);
    assertFalse(d.collapsed(REF * 0.9, COLLAPSED), "loss 10% below the reference");
    assertFalse(d.collapsed(REF, new BatchStats(0.95, REF)), "cosine not above the threshold");
    assertFalse(d.collapsed(REF, new BatchStats(0.99, null)), "no reference (cross-entropy)");
    assertFalse(d.collapsed(REF, BatchStats.NONE));
    assertFalse(d.collapsed(Double.NaN, COLLAPSED));
    assertTrue(d.collapsed(REF * 0.985, COLLAPSED));
  }

  @Test
  void issue13ACollapsedBatchFiresAndRandomUnitRowsDoNot() {
    int b = 16;
    int dim = 32;
    ContrastiveLoss supcon = SupConLoss.supcon(0.1, 0.1);
    int[] labels = new int[b];
    labels[0] = 1;
    float[] random = LossBenchmark.randomUnitRows(2 * b, dim, 5);
    float[] point = LossBenchmark.randomUnitRows(1, dim, 6);
    float[] collapsed = new float[2 * b * dim];
    for (int r = 0; r < 2 * b; r++) {
      System.arraycopy(point, 0, collapsed, r * dim, dim);
    }
    CollapseDetector d = detector(1);
    for (float[] z : new float[][] {random, collapsed}) {
      ContrastiveBatch batch = ContrastiveBatch.of(z, b, 2, dim, labels, null);
      BatchStats stats = new BatchStats(Collapse.meanCosine(z, 2 * b, dim),
          supcon.collapsedLoss(batch).getAsDouble());
      boolean fired = d.observe(z == random ? 1 : 2, 1, supcon.compute(batch, 1).loss(), stats)
          .isPresent();
      assertEquals(z == collapsed, fired, z == random ? "random rows" : "collapsed rows");
    }
  }

  @Test
  void readsItsKeysFromReferenceConf() {
    CollapseConfig c = CollapseConfig.from(ConfigFactory.defaultReference());
    assertTrue(c.lossTolerance() > 0 && c.lossTolerance() < 0.1);
    assertTrue(c.cosineThreshold() > 0.5 && c.cosineThreshold() < 1);
    assertTrue(c.patience() >= 1);
  }
}
