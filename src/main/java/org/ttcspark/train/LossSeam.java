package org.ttcspark.train;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.Serializable;

/**
 * The one place the optimiser wiring gets its loss from. With {@code train.loss-scope = local}
 * the criterion is evaluated by DistriOptimizer on each model copy's slice of the batch (see
 * docs/readme/train.md, "Which batch the loss sees"); a global scope (issue 9) plugs in here with
 * its own step.
 */
public interface LossSeam extends Serializable {
  /** The criterion for the epoch about to run (1-based); SBCL's cluster phase may change it. */
  AbstractCriterion<Activity, Activity, Object> criterion(int epoch);

  /** A seam that always returns the same criterion. */
  static LossSeam local(AbstractCriterion<Activity, Activity, Object> criterion) {
    return epoch -> criterion;
  }
}
