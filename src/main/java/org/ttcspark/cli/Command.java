package org.ttcspark.cli;

import java.util.List;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RuntimeConfig;

/** One {@code ttc <command>}. Implementations are stateless; {@link Commands} lists them. */
public interface Command {
  /** The word typed after {@code ttc}. */
  String name();

  /** One line for {@code ttc --help}. */
  String summary();

  /** Options of this command besides the global ones ({@code -c}, {@code --verbose}, ...). */
  default List<Flag> flags() {
    return List.of();
  }

  /** Placeholder for positional arguments in help, or null if the command takes none. */
  default String positionals() {
    return null;
  }

  /** The reference.conf sections whose keys this command reads, for {@code --help}. */
  default List<String> configSections() {
    return List.of("run");
  }

  /**
   * A classpath resource with this command's own defaults, layered between reference.conf and
   * the {@code -c} files (the demo's embedded settings), or null.
   */
  default String presetResource() {
    return null;
  }

  /** False for a command listed in help but not available in this version. */
  default boolean available() {
    return true;
  }

  /**
   * Checks everything that can be checked before Spark starts, reading but never writing:
   * builds every record the command needs, checks them against each other and against what
   * is already on disk (a run folder's state, a prepared dataset's manifest). {@link Main}
   * calls it before {@link #run}, after the configuration is loaded, and reports its problems
   * together with the configuration's. {@code run} must not depend on it having been called.
   *
   * @throws org.ttcspark.config.ConfigProblems listing every problem found
   * @throws UsageException for a command line that cannot work
   */
  default void validate(Invocation invocation) {
    Checks.collect(invocation.config(), List.of(RunConfig::from, RuntimeConfig::from));
  }

  /**
   * Runs the command.
   *
   * @return the exit code: 0 success, 1 job failure (2 is reserved for usage and configuration
   *     errors, which are thrown as {@link UsageException} or
   *     {@link org.ttcspark.config.ConfigProblems})
   */
  int run(Invocation invocation) throws Exception;
}
