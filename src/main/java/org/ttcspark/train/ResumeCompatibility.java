package org.ttcspark.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which settings {@code --resume} may change. A resumed run must go on training the same thing:
 * the keys that decide what is trained must equal the run's recorded {@code config.conf}:
 * {@code model.*}, {@code augment.*}, {@code train.*}, {@code loss.*} (pretrain),
 * {@code dataset.prepared} and {@code run.seed}. Within those, free to change are
 * {@code train.epochs} (to extend or shorten the run: the cosine schedule is stretched to the
 * new last iteration from where it is), {@code train.validation}, {@code train.bench.*},
 * {@code train.checkpoints.*} (which checkpoints are kept), {@code train.collapse.*} and
 * {@code train.online-eval.*} (what is watched, not what is trained), {@code train.prefetch-views}
 * (when views are drawn, not which), and the settings of the other
 * method ({@code train.ce.*} for pretrain; the loss and SGD keys for train-ce). Every other
 * section (where and how it runs: {@code spark}, {@code engine}, {@code run}; what other
 * commands read) is not compared.
 */
public final class ResumeCompatibility {
  /** Sections (or keys) compared with the record. */
  static final List<String> TRAINED = List.of("model", "augment", "train", "dataset.prepared",
      "run.seed");
  /** Within {@link #TRAINED}, what may change on every resume. */
  static final List<String> FREE = List.of("train.epochs", "train.validation", "train.bench",
      "train.checkpoints", "train.collapse", "train.online-eval", "train.prefetch-views");
  /** Further free prefixes of pretrain (Adam belongs to train-ce). */
  static final List<String> FREE_PRETRAIN = List.of("train.ce");
  /** Further free prefixes of train-ce (SGD and its schedule are pretrain's). */
  static final List<String> FREE_CROSS_ENTROPY = List.of("train.learning-rate",
      "train.warm-up-epochs", "train.momentum", "train.weight-decay", "train.global");

  private ResumeCompatibility() {}

  /**
   * The keys that decide what is trained and differ between the run's record and the
   * configuration of the resume, as {@code key old -> new}, sorted by key.
   *
   * @param crossEntropy true for {@code train-ce}
   */
  public static List<String> differences(Config recorded, Config now, boolean crossEntropy) {
    Map<String, String> before = flatten(recorded);
    Map<String, String> after = flatten(now);
    TreeSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      if (free(key, crossEntropy)) {
        continue;
      }
      String a = before.getOrDefault(key, "(not set)");
      String b = after.getOrDefault(key, "(not set)");
      if (!a.equals(b)) {
        out.add(key + " " + a + " -> " + b);
      }
    }
    return out;
  }

  /**
   * The one-line refusal for {@link #differences}, or null when there are none.
   *
   * @param run the run folder, as text
   */
  public static String refusal(String run, List<String> differences) {
    if (differences.isEmpty()) {
      return null;
    }
    return "--resume would change what run " + run + " trains: " + String.join(", ", differences)
        + "; resume with the run's settings (recorded in " + run + "/config.conf; train.epochs, "
        + "train.validation, train.checkpoints.*, train.collapse.*, train.online-eval.*, spark.*, "
        + "engine.* and run.* but run.seed may change), or start a new run with another run.name";
  }

  static boolean free(String key, boolean crossEntropy) {
    boolean trained = matches(key, TRAINED) || (!crossEntropy && matches(key, List.of("loss")));
    return !trained || matches(key, FREE)
        || matches(key, crossEntropy ? FREE_CROSS_ENTROPY : FREE_PRETRAIN);
  }

  private static boolean matches(String key, List<String> prefixes) {
    for (String p : prefixes) {
      if (key.equals(p) || key.startsWith(p + ".")) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, String> flatten(Config c) {
    Map<String, String> m = new java.util.HashMap<>();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      m.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
    }
    return m;
  }
}
