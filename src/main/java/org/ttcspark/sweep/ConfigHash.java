package org.ttcspark.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A short, stable fingerprint of the settings that decide a run's result: SHA-256 over every
 * leaf key and value in sorted order. Keys that only say where or how to run ({@code spark},
 * {@code engine}, {@code run.dir}, {@code run.name}, {@code run.work-dir},
 * {@code run.overwrite}, {@code sweep}) are
 * left out, so moving a sweep to a cluster does not redo its finished runs.
 */
public final class ConfigHash {
  private static final Set<String> IGNORED_ROOTS = Set.of("spark", "engine", "sweep");
  private static final Set<String> IGNORED_KEYS = Set.of("run.dir", "run.name", "run.work-dir",
      "run.overwrite");

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
      String root = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      if (IGNORED_ROOTS.contains(root) || IGNORED_KEYS.contains(key)
          || (roots != null && !roots.contains(root))) {
        continue;
      }
      leaves.put(key, e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()));
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
}
