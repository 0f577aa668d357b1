package org.ttcspark.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words after {@code ttc <command>}: {@code -c FILE} (repeatable), {@code key=value}
 * overrides, the command's own {@code --flag [value]} (or {@code --flag=value}), the global
 * {@code --verbose} and {@code --help}, and positional arguments where the command takes them.
 */
record CommandLine(List<File> configFiles, List<String> overrides, Map<String, String> flags,
    List<String> positionals, boolean verbose, boolean help) {

  /** @throws UsageException for an unknown flag, a missing value or an unexpected argument */
  static CommandLine parse(Command command, List<String> words) {
    List<File> files = new ArrayList<>();
    List<String> overrides = new ArrayList<>();
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    boolean verbose = false;
    boolean help = false;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("-c") || w.equals("--config")) {
        files.add(new File(valueAfter(command, words, i++, w)));
      } else if (w.startsWith("--config=")) {
        files.add(new File(w.substring("--config=".length())));
      } else if (w.equals("--verbose") || w.equals("-v")) {
        verbose = true;
      } else if (w.equals("--help") || w.equals("-h")) {
        help = true;
      } else if (w.startsWith("--")) {
        String name = w.substring(2);
        String inline = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          inline = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        Flag flag = find(command, name);
        if (flag.takesValue()) {
          flags.put(name, inline != null ? inline : valueAfter(command, words, i++, w));
        } else {
          if (inline != null) {
            throw new UsageException("--" + name + " of ttc " + command.name()
                + " takes no value; write --" + name + " alone");
          }
          flags.put(name, "true");
        }
      } else if (w.startsWith("-") && w.length() > 1 && !Character.isDigit(w.charAt(1))) {
        throw new UsageException("unknown option " + w + " for ttc " + command.name()
            + " (see ttc " + command.name() + " --help)");
      } else if (w.indexOf('=') > 0) {
        overrides.add(w);
      } else if (command.positionals() != null) {
        positionals.add(w);
      } else {
        throw new UsageException("unexpected argument '" + w + "' for ttc " + command.name()
            + ": settings are key=value (for example train.epochs=10), options start with --");
      }
    }
    return new CommandLine(files, overrides, flags, positionals, verbose, help);
  }

  private static String valueAfter(Command command, List<String> words, int i, String flag) {
    if (i + 1 >= words.size()) {
      throw new UsageException(flag + " of ttc " + command.name() + " needs a value");
    }
    return words.get(i + 1);
  }

  private static Flag find(Command command, String name) {
    for (Flag f : command.flags()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    List<String> names = new ArrayList<>();
    for (Flag f : command.flags()) {
      names.add("--" + f.name());
    }
    String known = names.isEmpty() ? "it takes no options besides -c, --verbose and --help"
        : "its options are " + String.join(", ", names);
    throw new UsageException("unknown option --" + name + " for ttc " + command.name() + "; "
        + known);
  }
}
