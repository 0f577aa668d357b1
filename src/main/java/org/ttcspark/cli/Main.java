package org.ttcspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;
import org.ttcspark.platform.MemoryPeaks;
import org.ttcspark.platform.SparkRuntime;
import org.ttcspark.platform.Versions;

/**
 * The single entry point: {@code ttc <command> [-c file.conf ...] [key=value ...]}, run the same
 * way by {@code submit/ttc}, spark-submit and the tests.
 *
 * <p>Exit codes: 0 success, 1 job failure, 2 usage or configuration error. Errors print one
 * line to stderr; the stack trace only with {@code --verbose}.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** Exit code of a command that succeeded. */
  public static final int OK = 0;
  /** Exit code of a job that failed. */
  public static final int FAILED = 1;
  /** Exit code of a usage or configuration error. */
  public static final int USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    MemoryPeaks.watch();
    int code = run(args, System.out, System.err);
    SparkRuntime.stop();
    if (insideYarnClusterDriver()) {
      // YARN's ApplicationMaster runs this method in a thread and reads how it ended:
      // System.exit, even with 0, counts as a failure and makes YARN retry the application.
      if (code != OK) {
        throw new IllegalStateException("ttc " + String.join(" ", args) + " ended with exit code "
            + code + " (the error is printed above)");
      }
      return;
    }
    System.exit(code);
  }

  /** True in the driver that YARN's ApplicationMaster starts in cluster deploy mode. */
  static boolean insideYarnClusterDriver() {
    return System.getProperty("spark.yarn.app.id") != null
        && "cluster".equals(System.getProperty("spark.submit.deployMode"));
  }

  /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> words = Arrays.asList(args);
    boolean verbose = words.contains("--verbose") || words.contains("-v");
    try {
      if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("-h")
          || words.get(0).equals("help")) {
        if (words.size() > 1 && words.get(0).equals("help")) {
          printCommandHelp(find(words.get(1)), out);
          return OK;
        }
        printUsage(out);
        return words.isEmpty() ? USAGE : OK;
      }
      if (words.get(0).equals("--version") || words.get(0).equals("version")) {
        out.println(Versions.describe());
        return OK;
      }
      String name = words.get(0);
      Command command = find(name);
      CommandLine line = CommandLine.parse(command, words.subList(1, words.size()));
      if (line.help()) {
        printCommandHelp(command, out);
        return OK;
      }
      if (!command.available()) {
        err.println("ttc: " + name + " is not available in this version of ttc-spark");
        return USAGE;
      }
      Config preset = command.presetResource() == null ? ConfigFactory.empty()
          : ConfigFactory.parseResources(Main.class.getClassLoader(), command.presetResource(),
              com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false));
      ConfigLoader.Loaded loaded = ConfigLoader.loadCollecting(preset, line.configFiles(),
          line.overrides());
      if (loaded.config() == null) {
        throw new ConfigProblems(loaded.problems());
      }
      Invocation invocation = new Invocation(name, loaded.config(), line.flags(),
          line.positionals(), out, err, line.verbose());
      validate(command, invocation, loaded.problems());
      return command.run(invocation);
    } catch (UsageException e) {
      return fail(err, e, USAGE, verbose, "");
    } catch (ConfigProblems e) {
      if (e.problems().size() > 1) {
        err.println("ttc: " + e.problems().size() + " configuration problems:");
        e.problems().forEach(p -> err.println("  - " + p));
        if (verbose) {
          e.printStackTrace(err);
        }
        return USAGE;
      }
      return fail(err, e, USAGE, verbose, "configuration: ");
    } catch (ConfigException e) {
      return fail(err, e, USAGE, verbose, "configuration: ");
    } catch (Exception | LinkageError e) {
      LOG.error("command failed", e);
      return fail(err, e, FAILED, verbose, "");
    }
  }

  private static Command find(String name) {
    return Commands.find(name).orElseThrow(() -> new UsageException(
        "unknown command '" + name + "'; the commands are "
            + Commands.all().stream().map(Command::name).collect(Collectors.joining(", "))));
  }

  /**
   * Everything that can be checked before Spark starts and before anything is written: the
   * layering's problems (unknown keys, wrong types) together with the command's own (ranges,
   * cross-key rules, the run folder's state, resume compatibility), all in one report.
   */
  private static void validate(Command command, Invocation invocation, List<String> loading) {
    List<String> problems = new java.util.ArrayList<>(loading);
    try {
      command.validate(invocation);
    } catch (ConfigProblems e) {
      problems.addAll(e.problems());
    } catch (UsageException e) {
      if (problems.isEmpty()) {
        throw e;
      }
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new ConfigProblems(problems.stream().distinct().toList());
    }
  }

  private static int fail(PrintStream err, Throwable e, int code, boolean verbose, String prefix) {
    err.println("ttc: error: " + prefix + ErrorLine.of(e));
    if (verbose) {
      e.printStackTrace(err);
    } else if (code == FAILED) {
      err.println("ttc: run again with --verbose for the stack trace");
    }
    return code;
  }

  static void printUsage(PrintStream out) {
    out.println("usage: ttc <command> [-c file.conf ...] [key=value ...] [--verbose] [--help]");
    out.println("       ttc help <command> | ttc --version");
    out.println();
    out.println("commands:");
    for (Command c : Commands.all()) {
      out.printf("  %-10s %s%s%n", c.name(), c.summary(), c.available() ? "" : " (not available yet)");
    }
    out.println();
    out.println("Settings come from reference.conf < -c files in order < key=value arguments.");
    out.println("'ttc <command> --help' lists a command's options and settings.");
  }

  static void printCommandHelp(Command command, PrintStream out) {
    String pos = command.positionals() == null ? "" : " " + command.positionals();
    out.println("usage: ttc " + command.name() + " [-c file.conf ...] [key=value ...]"
        + (command.flags().isEmpty() ? "" : " [options]") + pos);
    out.println();
    out.println(command.summary() + (command.available() ? "" : " (not available yet)"));
    out.println();
    out.println("options:");
    out.printf("  %-28s %s%n", "-c, --config FILE", "configuration file (repeatable)");
    for (Flag f : command.flags()) {
      String left = "--" + f.name() + (f.takesValue() ? " " + f.valueName() : "");
      out.printf("  %-28s %s%n", left, f.help());
    }
    out.printf("  %-28s %s%n", "-v, --verbose", "print stack traces of errors");
    out.printf("  %-28s %s%n", "-h, --help", "this help");
    Config reference = ConfigLoader.reference();
    ConfigRenderOptions render = ConfigRenderOptions.defaults().setOriginComments(false)
        .setComments(true).setJson(false).setFormatted(true);
    for (String section : command.configSections()) {
      if (reference.hasPath(section)) {
        out.println();
        out.println("settings (" + section + ".*, defaults shown):");
        Config sub = ConfigFactory.empty().withValue(section, reference.getValue(section));
        for (String l : sub.root().render(render).split("\n")) {
          out.println("  " + l);
        }
      }
    }
  }
}
