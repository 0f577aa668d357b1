package org.ttcspark.train.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.train.LossScope;

class IterationModelTest {
  private static final double GBIT = 1e9;
  // a = 0.1 s fixed, c = 0.05 s per sample
  private static final ComputeFit COMPUTE = new ComputeFit(0.1, 0.05);

  @Test
  void computeFitSeparatesTheFixedPartFromThePerSamplePart() {
    ComputeFit fit = ComputeFit.through(8, 0.5, 32, 1.7);
    assertEquals(0.05, fit.perSampleSeconds(), 1e-12);
    assertEquals(0.1, fit.fixedSeconds(), 1e-12);
    assertEquals(0.1 + 0.05 * 4, fit.seconds(4), 1e-12);
  }

  @Test
  void negativeInterceptIsReadAsAllComputePerSample() {
    ComputeFit fit = ComputeFit.through(8, 0.2, 32, 1.6);
    assertEquals(0, fit.fixedSeconds());
    assertEquals(1.6 / 32, fit.perSampleSeconds(), 1e-12);
  }

  @Test
  void computeFitReadsALargerBatchThatWasNotSlowerAsAllPerSample() {
    ComputeFit fit = ComputeFit.through(8, 1.0, 32, 0.9);
    assertTrue(ComputeFit.noisy(1.0, 0.9));
    assertEquals(0, fit.fixedSeconds(), 0);
    assertEquals(0.9 / 32, fit.perSampleSeconds(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> ComputeFit.through(8, 1, 8, 2));
  }

  @Test
  void exchangeIsTheLocalCostAloneOnOneExecutor() {
    Exchange x = new Exchange(1_000_000, 2, 0.03, 0.001, 4);
    assertEquals(0, x.bytesPerExecutor(1));
    assertEquals(0.03, x.seconds(1, GBIT), 1e-12);
  }

  @Test
  void exchangeAddsBytesOverBandwidthAndOneLatencyPerFetchRoundTwice() {
    Exchange x = new Exchange(1_000_000, 2, 0.03, 0.001, 4);
    // N = 2: 2 * 2 B * 1e6 * 1/2 = 2 MB = 16 Mbit at 1 Gbit/s = 0.016 s; 1 round x 2
    assertEquals(2_000_000, x.bytesPerExecutor(2));
    assertEquals(0.03 + 0.016 + 0.002, x.seconds(2, GBIT), 1e-12);
    // N = 9: 8 remote blocks = 2 rounds of 4, twice
    assertEquals(0.03 + 8.0 * x.bytesPerExecutor(9) / GBIT + 0.004, x.seconds(9, GBIT), 1e-12);
    // fp32 moves twice the bytes
    assertEquals(2 * x.bytesPerExecutor(8),
        new Exchange(1_000_000, 4, 0.03, 0.001, 4).bytesPerExecutor(8));
  }

  @Test
  void linkSpeedFromAMeasuredExchangeInvertsTheModel() {
    Exchange x = new Exchange(11_500_000, 2, 0.05, 0.001, 4);
    assertEquals(3e9, x.linkBitsPerSecond(2, x.seconds(2, 3e9)), 1e-3);
    assertEquals(Double.POSITIVE_INFINITY, x.linkBitsPerSecond(2, 0.04));
    assertThrows(IllegalArgumentException.class, () -> x.linkBitsPerSecond(1, 1));
  }

  @Test
  void oneExecutorHasEfficiencyOneAndEveryTermAddsUp() {
    IterationModel m = IterationModel.local(32, 2, COMPUTE,
        new Exchange(1_000_000, 2, 0.03, 0.001, 4), new Scheduling(0.02, 0.001));
    IterationModel.Prediction one = m.predict(1, GBIT);
    assertEquals(1.0, one.efficiency(), 1e-12);
    assertEquals(0.1 + 0.05 * 32, one.computeSeconds(), 1e-12);
    assertEquals(2 * (0.02 + 0.001), one.schedulingSeconds(), 1e-12);
    assertEquals(0, one.driverSeconds());
    assertEquals(one.computeSeconds() + one.exchangeSeconds() + one.schedulingSeconds(),
        one.iterationSeconds(), 1e-12);
    assertEquals(64 / one.iterationSeconds(), one.imagesPerSecond(), 1e-9);
  }

  @Test
  void efficiencyFallsAsTheFixedCostsOutgrowTheShrinkingCompute() {
    IterationModel m = IterationModel.local(128, 2, COMPUTE,
        new Exchange(11_500_000, 2, 0.05, 0.001, 4), new Scheduling(0.05, 0.002));
    List<IterationModel.Prediction> t = m.table(List.of(1, 2, 4, 8, 16, 32, 64), 10 * GBIT);
    assertEquals(7, t.size());
    for (int i = 1; i < t.size(); i++) {
      assertTrue(t.get(i).efficiency() < t.get(i - 1).efficiency(), "row " + i);
      assertTrue(t.get(i).computeSeconds() < t.get(i - 1).computeSeconds(), "row " + i);
    }
    assertEquals(2, t.get(6).samplesPerExecutor());
    assertEquals("compute", t.get(0).dominant());
    assertTrue(!t.get(6).dominant().equals("compute"), t.get(6).dominant());
  }

  @Test
  void aSlowerNetworkOnlySlowsMultiExecutorRuns() {
    IterationModel m = IterationModel.local(32, 2, COMPUTE,
        new Exchange(11_500_000, 2, 0.05, 0.001, 4), new Scheduling(0.05, 0.002));
    assertEquals(m.predict(1, GBIT).iterationSeconds(), m.predict(1, 10 * GBIT)
        .iterationSeconds(), 1e-12);
    assertTrue(m.predict(8, GBIT).iterationSeconds()
        > m.predict(8, 10 * GBIT).iterationSeconds() + 0.1);
  }

  @Test
  void globalScopePaysAThirdJobTheDriversLossAndItsProjections() {
    Exchange x = new Exchange(1_000_000, 2, 0.03, 0.001, 4);
    Scheduling s = new Scheduling(0.02, 0.001);
    IterationModel local = IterationModel.local(32, 2, COMPUTE, x, s);
    IterationModel global = IterationModel.global(32, 2, COMPUTE, x, s, 0.004, 128);
    assertEquals(LossScope.GLOBAL, global.scope());
    assertEquals(3, global.jobs());
    // 32 samples x 2 views x 128 floats, in and out
    assertEquals(2L * 32 * 2 * 128 * 4, global.driverBytes());
    IterationModel.Prediction l = local.predict(4, GBIT);
    IterationModel.Prediction g = global.predict(4, GBIT);
    assertEquals(l.schedulingSeconds() * 3 / 2, g.schedulingSeconds(), 1e-12);
    assertEquals(0.004 + 8.0 * global.driverBytes() / GBIT, g.driverSeconds(), 1e-12);
    assertEquals(l.iterationSeconds() + s.jobSeconds(4) + g.driverSeconds(),
        g.iterationSeconds(), 1e-12);
  }

  @Test
  void globalScopeOnOneExecutorInFp32IsOneJobWithoutExchange() {
    Scheduling s = new Scheduling(0.02, 0.001);
    IterationModel fp32 = IterationModel.global(32, 2, COMPUTE,
        new Exchange(1_000_000, 4, 0.03, 0.001, 4), s, 0.004, 128);
    IterationModel.Prediction one = fp32.predict(1, GBIT);
    assertEquals(0, one.exchangeSeconds());
    assertEquals(s.jobSeconds(1), one.schedulingSeconds(), 1e-12);
    assertEquals(0.004, one.driverSeconds(), 1e-12);
    assertEquals(COMPUTE.seconds(32) + s.jobSeconds(1) + 0.004, one.iterationSeconds(), 1e-12);
    // two executors exchange again, in three jobs
    assertEquals(3 * s.jobSeconds(2), fp32.predict(2, GBIT).schedulingSeconds(), 1e-12);
    assertTrue(fp32.predict(2, GBIT).exchangeSeconds() > 0.03);
    // fp16 rounds what would travel even on one executor: the exchange and three jobs stay
    IterationModel fp16 = IterationModel.global(32, 2, COMPUTE,
        new Exchange(1_000_000, 2, 0.03, 0.001, 4), s, 0.004, 128);
    assertEquals(0.03, fp16.predict(1, GBIT).exchangeSeconds(), 1e-12);
    assertEquals(3 * s.jobSeconds(1), fp16.predict(1, GBIT).schedulingSeconds(), 1e-12);
  }

  @Test
  void executorCountsTheBatchDoesNotSplitOverAreLeftOut() {
    IterationModel m = IterationModel.local(24, 2, COMPUTE,
        new Exchange(1000, 2, 0, 0, 4), new Scheduling(0, 0));
    assertEquals(List.of(1, 2, 4, 8),
        m.table(List.of(1, 2, 4, 8, 16, 32), GBIT).stream()
            .map(IterationModel.Prediction::executors).toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.predict(16, GBIT));
    assertTrue(e.getMessage().contains("does not split"), e.getMessage());
  }

  @Test
  void localScopeNeedsTwoSamplesPerExecutorGlobalScopeOne() {
    Exchange x = new Exchange(1000, 2, 0, 0, 4);
    Scheduling s = new Scheduling(0, 0);
    assertTrue(IterationModel.local(8, 2, COMPUTE, x, s).splits(4));
    assertTrue(!IterationModel.local(8, 2, COMPUTE, x, s).splits(8));
    assertTrue(IterationModel.global(8, 2, COMPUTE, x, s, 0, 8).splits(8));
  }
}
