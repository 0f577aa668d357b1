package org.ttcspark.cli;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.ttcspark.config.ConfigProblems;

/**
 * Collects the problems of a command's validation (records that do not build, cross-key rules,
 * the run folder's state) so that they are reported together, before Spark starts. A record
 * that does not build reads as null; the caller skips checks that need it.
 */
final class Checks {
  private final Config config;
  private final List<String> problems = new ArrayList<>();

  Checks(Config config) {
    this.config = config;
  }

  /** The record {@code from} builds, or null after recording its problems. */
  <T> T read(Function<Config, T> from) {
    try {
      return from.apply(config);
    } catch (ConfigProblems e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  /** Runs a check that throws on a problem; its message is recorded. */
  void check(Runnable check) {
    try {
      check.run();
    } catch (ConfigProblems e) {
      problems.addAll(e.problems());
    } catch (UsageException | IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
  }

  /** As {@link #check}, for a check that reads files: a failed read is a problem too. */
  void checkIo(Runnable check) {
    try {
      check(check);
    } catch (java.io.UncheckedIOException e) {
      problems.add(e.getMessage());
    }
  }

  /** Records a problem. */
  void add(String problem) {
    problems.add(problem);
  }

  boolean ok() {
    return problems.isEmpty();
  }

  /** @throws ConfigProblems listing every problem recorded */
  void done() {
    if (!problems.isEmpty()) {
      throw new ConfigProblems(problems);
    }
  }

  /** Builds every record of {@code readers}, reporting all their problems together. */
  static void collect(Config config, List<Function<Config, ?>> readers) {
    Checks checks = new Checks(config);
    readers.forEach(checks::read);
    checks.done();
  }
}
