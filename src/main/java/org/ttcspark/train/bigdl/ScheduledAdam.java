package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.optim.Adam;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Table;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.LrSchedule;
import scala.Function1;
import scala.Tuple2;

/**
 * Adam (Kingma and Ba 2015) whose rate follows an {@link LrSchedule} by iteration. BigDL's Adam
 * has only a fixed rate with 1/t decay, and fine-tuning follows PyTorch's
 * {@code CosineAnnealingLR}; the rate is set from the state's {@code neval} before every step,
 * on the driver and on each executor alike, so a resumed run that restores {@code neval} goes on
 * at the right rate (as {@link ScheduleAdapter} does for SGD).
 */
final class ScheduledAdam extends Adam<Object> {
  private static final long serialVersionUID = 1L;
  private final LrSchedule schedule;

  /** Adam (beta 0.9, 0.999, eps 1e-8) at {@code schedule}, positioned after {@code done}. */
  ScheduledAdam(LrSchedule schedule, int epoch, long done) {
    super(schedule.base(), 0.0, 0.9, 0.999, 1e-8, Bigdl.FLOAT, Bigdl.NUMERIC);
    this.schedule = schedule;
    state().update("epoch", epoch);
    state().update("neval", (int) done + 1);
  }

  @Override
  public Tuple2<Tensor<Object>, Object> optimize(
      Function1<Tensor<Object>, Tuple2<Object, Tensor<Object>>> feval, Tensor<Object> parameter) {
    learningRate_$eq(schedule.rate(iteration(state())));
    return super.optimize(feval, parameter);
  }

  /**
   * The rate of the current iteration. DistriOptimizer steps copies on the executors and logs
   * the driver's copy, whose {@code neval} it keeps up to date: computing the rate from it
   * makes the logged and checkpointed rate the one applied.
   */
  @Override
  public double getLearningRate() {
    return schedule.rate(iteration(state()));
  }

  /** 0-based iteration from BigDL's 1-based {@code neval}. */
  private static long iteration(Table state) {
    scala.Option<Object> neval = state.get("neval");
    return neval.isDefined() ? ((Number) neval.get()).longValue() - 1 : 0;
  }
}
