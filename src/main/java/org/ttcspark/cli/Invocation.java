package org.ttcspark.cli;

import com.typesafe.config.Config;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.ttcspark.platform.RunConfig;
import org.ttcspark.platform.RuntimeConfig;
import org.ttcspark.platform.SparkRuntime;

/**
 * One parsed command line: the resolved configuration, the command's flags and positional
 * arguments, and the console streams. The Spark runtime is started only when a command asks
 * for it, so that {@code --help}, {@code loss} and configuration errors never start Spark.
 */
public final class Invocation {
  private final String command;
  private final Config config;
  private final Map<String, String> flags;
  private final List<String> positionals;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean verbose;

  Invocation(String command, Config config, Map<String, String> flags, List<String> positionals,
      PrintStream out, PrintStream err, boolean verbose) {
    this.command = command;
    this.config = config;
    this.flags = Map.copyOf(flags);
    this.positionals = List.copyOf(positionals);
    this.out = out;
    this.err = err;
    this.verbose = verbose;
  }

  public String command() {
    return command;
  }

  /** The fully resolved configuration (reference, presets, overrides). */
  public Config config() {
    return config;
  }

  /** A flag's value; a present switch has the value "true". */
  public Optional<String> flag(String name) {
    return Optional.ofNullable(flags.get(name));
  }

  /** A flag that must be present. @throws UsageException naming the flag otherwise */
  public String requiredFlag(String name) {
    return flag(name).orElseThrow(() -> new UsageException(
        "ttc " + command + " needs --" + name + " (see ttc " + command + " --help)"));
  }

  public boolean has(String name) {
    return flags.containsKey(name);
  }

  public List<String> positionals() {
    return positionals;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  public boolean verbose() {
    return verbose;
  }

  /** The {@code run} section. */
  public RunConfig run() {
    return RunConfig.from(config);
  }

  /**
   * The Hadoop configuration for reading and writing paths: the running session's, or before
   * Spark starts one made of the {@code spark.hadoop.*} properties of {@code spark.conf} (as
   * Spark would make it), so that validation can look at run folders and manifests on any
   * file system without starting Spark.
   */
  public Configuration hadoop() {
    return SparkRuntime.running().map(r -> r.session().sparkContext().hadoopConfiguration())
        .orElseGet(() -> {
          Configuration c = new Configuration();
          RuntimeConfig.from(config).sparkConf().forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
              c.set(k.substring("spark.hadoop.".length()), v);
            }
          });
          return c;
        });
  }

  /** The JVM's Spark runtime, started on first call with this invocation's configuration. */
  public SparkRuntime spark() {
    return SparkRuntime.start(RuntimeConfig.from(config), command);
  }
}
