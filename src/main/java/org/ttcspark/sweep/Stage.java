package org.ttcspark.sweep;

import java.util.Locale;
import org.ttcspark.config.ConfigReader;

/**
 * A step of one sweep run. {@code TRAIN} is {@code pretrain} or {@code train-ce} by method;
 * {@code FINETUNE} trains the authors' classifier on the trained encoder (needs {@code TRAIN}).
 */
public enum Stage {
  PREPARE, TRAIN, EMBED, PROBE, FINETUNE, METRICS;

  /** The configuration word, e.g. "prepare". */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Stage parse(String word, ConfigReader r) {
    for (Stage s : values()) {
      if (s.word().equals(word)) {
        return s;
      }
    }
    r.require(false, "sweep.stages", "has unknown stage '" + word
        + "'; stages are prepare, train, embed, probe, finetune, metrics");
    return PREPARE;
  }
}
