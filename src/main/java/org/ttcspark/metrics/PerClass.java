package org.ttcspark.metrics;

import java.io.Serializable;
import java.util.Map;

/**
 * One value per binary class; {@code null} where the class has no rows to measure.
 *
 * @param class0 value of class 0, nullable
 * @param class1 value of class 1, nullable
 */
public record PerClass(Double class0, Double class1) implements Serializable {

  /** From an array indexed by class. */
  public static PerClass of(Double[] byClass) {
    return new PerClass(byClass[0], byClass[1]);
  }

  /** The value of class {@code c} (0 or 1), nullable. */
  public Double get(int c) {
    return c == 0 ? class0 : class1;
  }

  /** {@code {"0": class0, "1": class1}} in the JSON layout of README, "ttc metrics". */
  public Map<String, Double> toJson() {
    return ClassificationMetrics.byClass(class0, class1);
  }
}
