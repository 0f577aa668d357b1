package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.optim.SGD;
import com.intel.analytics.bigdl.utils.Table;
import java.io.Serializable;
import org.ttcspark.train.LrSchedule;

/**
 * An {@link LrSchedule} as BigDL's SGD learning-rate schedule. The iteration is read from the
 * optimiser state's {@code neval} (1-based, set by DistriOptimizer on the driver and on every
 * executor before each update), so the rate is the same everywhere and a resumed run that
 * restores {@code neval} continues at the right rate. BigDL expects the rate negated.
 */
public final class ScheduleAdapter implements SGD.LearningRateSchedule, Serializable {
  private static final long serialVersionUID = 1L;

  private final LrSchedule schedule;
  private double currentRate;
  private int excludeIterations;
  private int excludeEpochs;
  private int maxIterations;

  public ScheduleAdapter(LrSchedule schedule) {
    this.schedule = schedule;
  }

  @Override
  public <T> void updateHyperParameter(SGD<T> sgd) {
    currentRate = -schedule.rate(iteration(sgd.state()));
  }

  @Override
  public void updateHyperParameter(Table config, Table state) {
    currentRate = -schedule.rate(iteration(state));
    config.update("clr", currentRate);
  }

  /** 0-based iteration from BigDL's 1-based {@code neval} (absent before the first step). */
  private static long iteration(Table state) {
    scala.Option<Object> neval = state.get("neval");
    return neval.isDefined() ? ((Number) neval.get()).longValue() - 1 : 0;
  }

  @Override
  public double currentRate() {
    return currentRate;
  }

  @Override
  public void currentRate_$eq(double rate) {
    currentRate = rate;
  }

  @Override
  public int excludeIterations() {
    return excludeIterations;
  }

  @Override
  public void excludeIterations_$eq(int n) {
    excludeIterations = n;
  }

  @Override
  public int excludeEpochs() {
    return excludeEpochs;
  }

  @Override
  public void excludeEpochs_$eq(int n) {
    excludeEpochs = n;
  }

  @Override
  public int maxIterations() {
    return maxIterations;
  }

  @Override
  public void maxIterations_$eq(int n) {
    maxIterations = n;
  }
}
