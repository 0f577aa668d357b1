package org.ttcspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads the configuration of one invocation: {@code reference.conf} &lt; {@code application.conf}
 * on the classpath &lt; the {@code -c} files in order &lt; {@code key=value} arguments.
 *
 * <p>System properties are deliberately not layered on top (unlike
 * {@code ConfigFactory.load()}): spark-submit passes its own {@code spark.*} properties that
 * way, and they would collide with this project's {@code spark} section.
 *
 * <p>Every key a user sets must exist in {@code reference.conf}, except below an object that
 * the reference leaves empty ({@code spark.conf {}}: free-form). Values must have the type of
 * the reference's default; a {@code null} default accepts any type (the stage's record checks
 * it). All problems are collected and thrown together as {@link ConfigProblems}.
 */
public final class ConfigLoader {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      ConfigLoader.class);
  /** Keys earlier versions knew, accepted with a warning: key → what replaced it. */
  static final Map<String, String> RETIRED = Map.of("embed.batch-size",
      "evaluation forwards take engine.inference-batch images at a time");
  private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
  private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "on", "off");

  private ConfigLoader() {}

  /** Keys earlier versions knew and this one ignores (a run folder's config.conf may hold them). */
  public static Set<String> retiredKeys() {
    return RETIRED.keySet();
  }

  /**
   * The defaults: every {@code reference.conf} on the classpath, resolved. Unlike
   * {@code ConfigFactory.defaultReference()} it has no system properties mixed in (they would
   * bring {@code spark.app.name}, {@code os.*} and the like into the resolved configuration).
   */
  public static Config reference() {
    return ConfigFactory.parseResourcesAnySyntax(ConfigLoader.class.getClassLoader(), "reference")
        .resolve();
  }

  /**
   * Loads, validates and resolves the configuration.
   *
   * @param files {@code -c} files, later ones overriding earlier ones
   * @param overrides {@code key=value} arguments, overriding every file
   * @throws ConfigProblems listing every problem found
   */
  public static Config load(List<File> files, List<String> overrides) {
    return load(ConfigFactory.empty(), files, overrides);
  }

  /**
   * As {@link #load(List, List)}, with a command's own preset (such as the demo's) between
   * the reference and the {@code -c} files.
   */
  public static Config load(Config preset, List<File> files, List<String> overrides) {
    Loaded loaded = loadCollecting(preset, files, overrides);
    if (!loaded.problems().isEmpty()) {
      throw new ConfigProblems(loaded.problems());
    }
    return loaded.config();
  }

  /**
   * What {@link #loadCollecting} found: a configuration the stages' records can still be built
   * from, and the problems of the layering itself.
   *
   * @param config the resolved configuration without the keys that had problems (the defaults
   *     stand in for them, so that a record does not report a wrongly typed value a second
   *     time); null when a file or argument could not be parsed at all
   * @param problems unknown keys, wrong types, unreadable files; empty when all is well
   */
  public record Loaded(Config config, List<String> problems) {
    public Loaded {
      problems = List.copyOf(problems);
    }
  }

  /**
   * As {@link #load(Config, List, List)}, but returns the problems of the layering (unknown
   * keys, wrong types) with a configuration that leaves those keys out, instead of throwing:
   * the caller then builds the stages' records too and reports every problem in one go.
   */
  public static Loaded loadCollecting(Config preset, List<File> files, List<String> overrides) {
    List<String> problems = new ArrayList<>();
    boolean unparsed = false;
    Config user = ConfigFactory.empty();
    for (int i = overrides.size() - 1; i >= 0; i--) {
      String override = overrides.get(i);
      try {
        user = user.withFallback(parseOverride(override));
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
        unparsed = true;
      }
    }
    for (int i = files.size() - 1; i >= 0; i--) {
      File file = files.get(i);
      try {
        user = user.withFallback(ConfigFactory.parseFile(file,
            ConfigParseOptions.defaults().setAllowMissing(false)));
      } catch (ConfigException.IO e) {
        problems.add("configuration file " + file + " cannot be read (" + rootCause(e)
            + "); check the path given with -c");
        unparsed = true;
      } catch (ConfigException e) {
        problems.add("configuration file " + file + " is not valid HOCON: " + e.getMessage());
        unparsed = true;
      }
    }
    user = user.withFallback(ConfigFactory.parseResourcesAnySyntax("application"))
        .withFallback(preset);
    Config reference = reference();
    List<String> badPaths = new ArrayList<>();
    problems.addAll(validate(user, reference, badPaths));
    if (unparsed) {
      return new Loaded(null, problems);
    }
    for (String path : badPaths) {
      user = user.withoutPath(path);
    }
    try {
      return new Loaded(user.withFallback(reference).resolve(), problems);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return new Loaded(null, problems);
    }
  }

  /**
   * Parses one {@code key=value} argument. The value is a HOCON list, object or quoted string
   * when it starts with {@code [}, <code>{</code> or {@code "}; a number or boolean when it
   * looks like one; otherwise the literal string, so that {@code dataset.path=hdfs://nn/x}
   * and {@code spark.master=local[*]} mean what they say.
   *
   * @throws IllegalArgumentException naming the argument when it is malformed
   */
  public static Config parseOverride(String argument) {
    int eq = argument.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("argument '" + argument
          + "' is not of the form key=value (for example train.epochs=10)");
    }
    String key = argument.substring(0, eq).trim();
    String value = argument.substring(eq + 1).trim();
    String origin = "command line argument '" + argument + "'";
    try {
      if (value.startsWith("[") || value.startsWith("{") || value.startsWith("\"")) {
        Config parsed = ConfigFactory.parseString(key + " = " + value,
            ConfigParseOptions.defaults().setOriginDescription(origin));
        return parsed;
      }
      Object literal = literal(value);
      return ConfigFactory.empty().withValue(key,
          ConfigValueFactory.fromAnyRef(literal, origin));
    } catch (ConfigException e) {
      throw new IllegalArgumentException(origin + " cannot be parsed: " + e.getMessage());
    }
  }

  private static Object literal(String value) {
    if (NUMBER.matcher(value).matches()) {
      if (!value.contains(".") && !value.contains("e") && !value.contains("E")) {
        try {
          return Long.parseLong(value);
        } catch (NumberFormatException tooLong) {
          return Double.parseDouble(value);
        }
      }
      return Double.parseDouble(value);
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    if (value.equals("null")) {
      return null;
    }
    return value;
  }

  /**
   * Applies an overlay (a sweep trial's settings) on top of a resolved configuration, with the
   * same checks as {@link #load}: unknown keys and wrong types in the overlay are problems.
   *
   * @throws ConfigProblems listing every problem of the overlay, prefixed by {@code label}
   */
  public static Config overlay(Config overlay, Config base, String label) {
    List<String> problems = validate(overlay, reference());
    if (!problems.isEmpty()) {
      throw new ConfigProblems(problems.stream().map(p -> label + ": " + p).toList());
    }
    try {
      return overlay.withFallback(base).resolve();
    } catch (ConfigException e) {
      throw new ConfigProblems(List.of(label + ": " + e.getMessage()));
    }
  }

  /** Unknown keys and wrong types in {@code user}, measured against {@code reference}. */
  static List<String> validate(Config user, Config reference) {
    return validate(user, reference, new ArrayList<>());
  }

  /** As {@link #validate(Config, Config)}, adding the path of every problem to {@code bad}. */
  private static List<String> validate(Config user, Config reference, List<String> bad) {
    List<String> problems = new ArrayList<>();
    Set<String> known = knownPaths(reference);
    List<String> paths = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      paths.add(entry.getKey());
    }
    paths.sort(null);
    for (String path : paths) {
      ConfigValue value = user.getValue(path);
      if (underFreeFormObject(path, reference)) {
        continue;
      }
      if (RETIRED.containsKey(path)) {
        // a run folder's config.conf written by an earlier version still loads
        LOG.warn("{} (set in {}) is retired and ignored: {}", path, describe(value),
            RETIRED.get(path));
        bad.add(path);
        continue;
      }
      if (!reference.hasPathOrNull(path)) {
        String parentProblem = typeAgainstAncestor(path, value, reference);
        if (parentProblem != null) {
          problems.add(parentProblem);
          bad.add(path);
          continue;
        }
        String hint = KeySuggester.nearest(path, known).map(k -> "; did you mean " + k + "?")
            .orElse("; see reference.conf or 'ttc <command> --help' for the valid keys");
        problems.add("unknown key " + path + " (set in " + describe(value) + ")" + hint);
        bad.add(path);
        continue;
      }
      String typeProblem = typeProblem(path, value, reference);
      if (typeProblem != null) {
        problems.add(typeProblem);
        bad.add(path);
      }
    }
    return problems;
  }

  private static Set<String> knownPaths(Config reference) {
    Set<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> entry : reference.entrySet()) {
      known.add(entry.getKey());
    }
    addObjectPaths("", reference.root(), known);
    return known;
  }

  private static void addObjectPaths(String prefix, ConfigObject object, Set<String> known) {
    for (Map.Entry<String, ConfigValue> child : object.entrySet()) {
      String path = prefix.isEmpty() ? quote(child.getKey()) : prefix + "." + quote(child.getKey());
      known.add(path);
      if (child.getValue() instanceof ConfigObject) {
        addObjectPaths(path, (ConfigObject) child.getValue(), known);
      }
    }
  }

  private static String quote(String segment) {
    return segment.matches("[A-Za-z0-9_-]+") ? segment : "\"" + segment + "\"";
  }

  /** True when some proper prefix of {@code path} is an empty object in the reference. */
  private static boolean underFreeFormObject(String path, Config reference) {
    List<String> segments = com.typesafe.config.ConfigUtil.splitPath(path);
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < segments.size() - 1; i++) {
      if (i > 0) {
        prefix.append('.');
      }
      prefix.append(com.typesafe.config.ConfigUtil.quoteString(segments.get(i)));
      String p = prefix.toString();
      if (reference.hasPath(p)) {
        ConfigValue v = reference.getValue(p);
        if (v instanceof ConfigObject && ((ConfigObject) v).isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  /** A user key below a reference leaf ({@code train.epochs.x}) is a type problem of the leaf. */
  private static String typeAgainstAncestor(String path, ConfigValue value, Config reference) {
    List<String> segments = com.typesafe.config.ConfigUtil.splitPath(path);
    for (int i = segments.size() - 1; i >= 1; i--) {
      String parent = com.typesafe.config.ConfigUtil.joinPath(segments.subList(0, i));
      if (reference.hasPath(parent)) {
        ConfigValue ref = reference.getValue(parent);
        if (!(ref instanceof ConfigObject)) {
          return "key " + parent + " (set in " + describe(value) + ") must be "
              + typeName(ref.valueType()) + " like the default " + render(ref)
              + ", not an object";
        }
        return null;
      }
    }
    return null;
  }

  private static String typeProblem(String path, ConfigValue value, Config reference) {
    ConfigValue ref = reference.getValue(path);
    ConfigValueType expected = ref.valueType();
    ConfigValueType found = value.valueType();
    if (expected == ConfigValueType.NULL || found == ConfigValueType.NULL || expected == found) {
      return null;
    }
    if (found == ConfigValueType.STRING) {
      String s = String.valueOf(value.unwrapped()).trim();
      if (expected == ConfigValueType.NUMBER && NUMBER.matcher(s).matches()) {
        return null;
      }
      if (expected == ConfigValueType.BOOLEAN && BOOLEAN_WORDS.contains(s.toLowerCase(Locale.ROOT))) {
        return null;
      }
    }
    if (expected == ConfigValueType.STRING
        && (found == ConfigValueType.NUMBER || found == ConfigValueType.BOOLEAN)) {
      return null; // HOCON reads unquoted 10 or true as a string where a string is wanted
    }
    return "key " + path + " has " + typeName(found) + " " + render(value) + " (set in "
        + describe(value) + ") but must be " + typeName(expected) + ", like the default "
        + render(ref);
  }

  private static String typeName(ConfigValueType type) {
    switch (type) {
      case OBJECT: return "an object";
      case LIST: return "a list";
      case NUMBER: return "a number";
      case BOOLEAN: return "a boolean";
      case STRING: return "a string";
      default: return "null";
    }
  }

  private static String render(ConfigValue value) {
    return value.render(ConfigRenderOptions.concise());
  }

  private static String describe(ConfigValue value) {
    return value.origin().description();
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
