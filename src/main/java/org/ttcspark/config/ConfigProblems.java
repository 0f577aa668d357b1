package org.ttcspark.config;

import java.util.List;

/**
 * Every configuration problem found in one pass, reported together so that a user fixes them
 * all at once instead of one per run. Each problem names the key, where its value came from
 * and, for unknown keys, the nearest valid key.
 */
public final class ConfigProblems extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** @param problems one line each, in the order found; not empty */
  public ConfigProblems(List<String> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  /** The individual problems, one line each. */
  public List<String> problems() {
    return problems;
  }

  private static String summary(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    return problems.size() + " configuration problems: " + String.join("; ", problems);
  }
}
