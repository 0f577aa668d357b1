package org.ttcspark.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A short, stable fingerprint of the settings that decide a run's result: SHA-256 over every
 * leaf key and value in sorted order. Keys that only say where or how to run ({@code spark},
 * {@code engine}, {@code run.dir}, {@code run.name}, {@code run.work-dir},
 * {@code run.overwrite}, {@code sweep}) or only configure {@code ttc bench} ({@code train.bench},
 * {@code prepare.bench-size}) or only when the same views are drawn ({@code train.prefetch-views})
 * are left out, so moving a sweep to a cluster does not redo its finished runs.
 *
 * <p>Every leaf counts, so a version that adds a setting gives every run a new fingerprint even
 * when the setting keeps the old behaviour at its default; {@link #unexplainedDifferences} tells
 * such a run apart from one whose settings really differ.
 */
public final class ConfigHash {
  private static final Set<String> IGNORED_ROOTS = Set.of("spark", "engine", "sweep");
  private static final Set<String> IGNORED_KEYS = Set.of("run.dir", "run.name", "run.work-dir",
      "run.overwrite", "prepare.bench-size", "train.prefetch-views");
  private static final String BENCH = "train.bench.";
  /**
   * The prepared dataset's folder, which the sweep points each run at: its name carries its own
   * fingerprint, so it moves with the version as the run's does.
   */
  private static final String PREPARED = "dataset.prepared";

  private ConfigHash() {}

  /** 12 hex digits (48 bits) of the configuration's fingerprint. */
  public static String of(Config config) {
    return of(config, null);
  }

  /** The fingerprint of only the given top-level sections (all when {@code roots} is null). */
  public static String of(Config config, Set<String> roots) {
    Map<String, String> leaves = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      String key = e.getKey();
      if (ignored(key) || (roots != null && !roots.contains(root(key)))) {
        continue;
      }
      leaves.put(key, e.getValue().render(ConfigRenderOptions.concise()));
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> e : leaves.entrySet()) {
        sha.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      StringBuilder hex = new StringBuilder();
      for (byte b : sha.digest()) {
        hex.append(String.format("%02x", b));
      }
      return hex.substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * How a finished run's configuration differs from a planned one in settings that decide the
   * result, apart from differences a newer version explains: a setting the finished run does
   * not have because it was added since counts as the same when the plan has it at its
   * default, and a setting only the finished run has counts as the same when it is retired.
   * Empty when the finished run is the planned run trained by an earlier version.
   *
   * @param finished the finished run's resolved configuration (its config.conf)
   * @param planned the planned run's resolved configuration
   * @param reference the defaults of this version
   * @param retired keys earlier versions knew and this one ignores
   * @return one line per difference, in key order
   */
  public static List<String> unexplainedDifferences(Config finished, Config planned,
      Config reference, Set<String> retired) {
    Map<String, ConfigValue> was = leaves(finished);
    Map<String, ConfigValue> now = leaves(planned);
    Set<String> keys = new TreeSet<>(was.keySet());
    keys.addAll(now.keySet());
    List<String> differences = new ArrayList<>();
    for (String key : keys) {
      ConfigValue a = was.get(key);
      ConfigValue b = now.get(key);
      if (a != null && b != null) {
        if (!same(a, b)) {
          differences.add(key + " = " + render(a) + " in the finished run, " + render(b)
              + " planned");
        }
      } else if (a == null) {
        ConfigValue dflt = reference.hasPath(key) ? reference.getValue(key) : null;
        if (dflt == null || !same(dflt, b)) {
          differences.add(key + " = " + render(b) + " planned, absent from the finished run"
              + (dflt == null ? "" : " (default " + render(dflt) + ")"));
        }
      } else if (!retired.contains(key)) {
        differences.add(key + " = " + render(a) + " in the finished run, absent from the plan");
      }
    }
    return differences;
  }

  private static Map<String, ConfigValue> leaves(Config config) {
    Map<String, ConfigValue> leaves = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      if (!ignored(e.getKey()) && !e.getKey().equals(PREPARED)) {
        leaves.put(e.getKey(), e.getValue());
      }
    }
    return leaves;
  }

  /** Equal values; numbers by value, since a value read back from text may print otherwise. */
  private static boolean same(ConfigValue a, ConfigValue b) {
    if (a.valueType() == ConfigValueType.NUMBER && b.valueType() == ConfigValueType.NUMBER) {
      return ((Number) a.unwrapped()).doubleValue() == ((Number) b.unwrapped()).doubleValue();
    }
    if (a.valueType() == ConfigValueType.LIST && b.valueType() == ConfigValueType.LIST) {
      ConfigList x = (ConfigList) a;
      ConfigList y = (ConfigList) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    return render(a).equals(render(b));
  }

  private static String render(ConfigValue v) {
    return v.render(ConfigRenderOptions.concise());
  }

  private static boolean ignored(String key) {
    return IGNORED_ROOTS.contains(root(key)) || IGNORED_KEYS.contains(key)
        || key.startsWith(BENCH);
  }

  private static String root(String key) {
    return key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
  }
}
