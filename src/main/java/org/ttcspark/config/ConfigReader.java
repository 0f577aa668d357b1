package org.ttcspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a stage's values out of a resolved {@link Config} for its record's {@code from(Config)}
 * and collects every problem instead of stopping at the first. Each message names the key, the
 * value found, where it was set and what is allowed. Call {@link #done()} after reading
 * everything; it throws {@link ConfigProblems} if anything was wrong.
 *
 * <p>Getters return a harmless placeholder (0, "", false) after recording a problem so that a
 * record's constructor can still run; the record is discarded when {@code done()} throws.
 */
public final class ConfigReader {
  private final Config config;
  private final List<String> problems = new ArrayList<>();

  public ConfigReader(Config config) {
    this.config = config;
  }

  /** The underlying configuration, for sub-sections read by another record. */
  public Config config() {
    return config;
  }

  public String string(String path) {
    try {
      return config.getString(path);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return "";
    }
  }

  /** A string that may be {@code null} or empty in the configuration. */
  public Optional<String> optionalString(String path) {
    if (!config.hasPath(path)) {
      return Optional.empty();
    }
    String s = string(path);
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  public boolean bool(String path) {
    try {
      return config.getBoolean(path);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return false;
    }
  }

  /** An integer in {@code [min, max]}. */
  public int intIn(String path, int min, int max) {
    try {
      int v = config.getInt(path);
      if (v < min || v > max) {
        problems.add(bad(path, "must be " + range(min, max)));
      }
      return v;
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return min;
    }
  }

  public long longIn(String path, long min, long max) {
    try {
      long v = config.getLong(path);
      if (v < min || v > max) {
        problems.add(bad(path, "must be " + range(min, max)));
      }
      return v;
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return min;
    }
  }

  /** A finite double in {@code [min, max]}. */
  public double doubleIn(String path, double min, double max) {
    try {
      double v = config.getDouble(path);
      if (!Double.isFinite(v) || v < min || v > max) {
        problems.add(bad(path, "must be a finite number " + range(min, max)));
      }
      return v;
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return min;
    }
  }

  /** A double in {@code [min, max]}, or empty when the key is {@code null}. */
  public Optional<Double> optionalDoubleIn(String path, double min, double max) {
    if (!config.hasPath(path)) {
      return Optional.empty();
    }
    return Optional.of(doubleIn(path, min, max));
  }

  /** A finite double strictly greater than {@code min}. */
  public double doubleAbove(String path, double min) {
    try {
      double v = config.getDouble(path);
      if (!Double.isFinite(v) || v <= min) {
        problems.add(bad(path, "must be a finite number greater than " + min));
      }
      return v;
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return min;
    }
  }

  public List<Double> doubles(String path) {
    try {
      return config.getDoubleList(path);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return List.of();
    }
  }

  public List<String> strings(String path) {
    try {
      return config.getStringList(path);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return List.of();
    }
  }

  public Duration duration(String path) {
    try {
      return config.getDuration(path);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return Duration.ZERO;
    }
  }

  /** A memory size such as {@code 512m} or {@code 2 GiB}, in bytes. */
  public long bytes(String path) {
    try {
      return config.getBytes(path);
    } catch (ConfigException e) {
      problems.add(e.getMessage());
      return 0L;
    }
  }

  /** One of the allowed words, compared case-insensitively; returned in lower case. */
  public String oneOf(String path, String... allowed) {
    String v = string(path).toLowerCase(Locale.ROOT);
    if (config.hasPath(path) && !Arrays.asList(allowed).contains(v)) {
      String hint = KeySuggester.nearest(v, Arrays.asList(allowed))
          .map(s -> "; did you mean " + s + "?").orElse("");
      problems.add(bad(path, "must be one of " + String.join(", ", allowed)) + hint);
    }
    return v;
  }

  /** An enum constant named in kebab-case ({@code first-k} for {@code FIRST_K}). */
  public <E extends Enum<E>> E enumOf(String path, Class<E> type) {
    E[] constants = type.getEnumConstants();
    String[] words = new String[constants.length];
    for (int i = 0; i < constants.length; i++) {
      words[i] = kebab(constants[i]);
    }
    String v = oneOf(path, words);
    for (E constant : constants) {
      if (kebab(constant).equals(v)) {
        return constant;
      }
    }
    return constants[0];
  }

  /** The kebab-case configuration word of an enum constant. */
  public static String kebab(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Records a cross-field problem about {@code path} unless {@code ok}. */
  public void require(boolean ok, String path, String what) {
    if (!ok) {
      problems.add(bad(path, what));
    }
  }

  /** The problems so far. */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Throws {@link ConfigProblems} if any value read was wrong. */
  public void done() {
    if (!problems.isEmpty()) {
      throw new ConfigProblems(problems);
    }
  }

  private String bad(String path, String what) {
    if (!config.hasPath(path)) {
      return "key " + path + " " + what;
    }
    ConfigValue value = config.getValue(path);
    return "key " + path + " = " + value.render(ConfigRenderOptions.concise()) + " (set in "
        + value.origin().description() + ") " + what;
  }

  private static String range(double min, double max) {
    if (max == Double.MAX_VALUE || max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
      return "at least " + fmt(min);
    }
    return "between " + fmt(min) + " and " + fmt(max);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
