package org.ttcspark.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code sweep} section: the grid of datasets, minority ratios, methods and seeds, and the
 * settings every run shares.
 *
 * @param name the sweep's folder name under {@code run.dir}
 * @param datasets dataset name → settings of that dataset's runs, in name order (HOCON objects
 *     keep no order)
 * @param ratios minority fractions of the train split, each in (0, 1)
 * @param minorityClass the class label the ratios apply to
 * @param methods method names ({@code ce} or a contrastive loss)
 * @param seeds run seeds
 * @param overrides settings of every run
 * @param methodOverrides method name → settings of that method's runs
 * @param stages the stages of every run, in order
 */
public record SweepSpec(String name, Map<String, Config> datasets, List<Double> ratios,
    int minorityClass, List<String> methods, List<Long> seeds, Config overrides,
    Map<String, Config> methodOverrides, List<Stage> stages) {

  /** Contrastive methods, trained by {@code pretrain}. */
  public static final List<String> CONTRASTIVE =
      List.of("supcon", "supmin", "supproto", "simclr", "sbcl", "kcl", "tsc", "bcl", "paco");
  /** The weighted cross-entropy baseline, trained by {@code train-ce}. */
  public static final String CROSS_ENTROPY = "ce";

  public SweepSpec {
    datasets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
    ratios = List.copyOf(ratios);
    methods = List.copyOf(methods);
    seeds = List.copyOf(seeds);
    methodOverrides = Map.copyOf(methodOverrides);
    stages = List.copyOf(stages);
  }

  /** Reads and checks the {@code sweep} section. */
  public static SweepSpec from(Config config) {
    ConfigReader r = new ConfigReader(config);
    String name = r.string("sweep.name");
    r.require(simpleName(name), "sweep.name", "must be a simple folder name: " + SIMPLE);
    Map<String, Config> datasets = objects(config.getObject("sweep.datasets"));
    for (String d : datasets.keySet()) {
      // dataset names become folder names (datasets/<name>-..., runs/<name>-...)
      r.require(simpleName(d), ConfigUtil.joinPath("sweep", "datasets", d), "has a dataset "
          + "name that is not a simple folder name; its prepared data and runs would be "
          + "written to a path built from it. Rename the dataset: " + SIMPLE);
    }
    r.require(!datasets.isEmpty(), "sweep.datasets",
        "must name at least one dataset, e.g. datasets { synth { dataset.source = synthetic } }");
    List<Double> ratios = r.doubles("sweep.ratios");
    r.require(!ratios.isEmpty() && ratios.stream().allMatch(x -> x > 0 && x < 1), "sweep.ratios",
        "must list minority fractions strictly between 0 and 1");
    int minority = r.intIn("sweep.minority-class", 0, 1);
    List<String> methods = r.strings("sweep.methods");
    for (String m : methods) {
      r.require(m.equals(CROSS_ENTROPY) || CONTRASTIVE.contains(m), "sweep.methods",
          "has unknown method '" + m + "'; methods are ce, " + String.join(", ", CONTRASTIVE));
    }
    r.require(!methods.isEmpty(), "sweep.methods", "must list at least one method");
    List<Long> seeds = config.getLongList("sweep.seeds");
    r.require(!seeds.isEmpty(), "sweep.seeds", "must list at least one seed");
    Map<String, Config> methodOverrides = objects(config.getObject("sweep.method-overrides"));
    for (String m : methodOverrides.keySet()) {
      // Settings for a known method left out of the grid are kept unused, so that a preset's
      // grid can be narrowed on the command line (sweep.methods=[supmin]); a name that is no
      // method at all is a typo.
      r.require(m.equals(CROSS_ENTROPY) || CONTRASTIVE.contains(m), "sweep.method-overrides",
          "has settings for '" + m + "', which is no method; methods are ce, "
              + String.join(", ", CONTRASTIVE));
    }
    List<Stage> stages = r.strings("sweep.stages").stream().map(s -> Stage.parse(s, r)).toList();
    r.require(!stages.isEmpty(), "sweep.stages", "must list at least one stage");
    SweepSpec spec = new SweepSpec(name, datasets, ratios, minority, methods, seeds,
        config.getConfig("sweep.overrides"), methodOverrides, stages);
    r.done();
    return spec;
  }

  /**
   * True for names that are safe as one path component: letters, digits, '.', '_', '-', not
   * starting with '.' (so neither hidden nor "." or "..").
   */
  public static boolean simpleName(String name) {
    return name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  }

  /** The rule of {@link #simpleName}, as messages state it. */
  private static final String SIMPLE =
      "use only letters, digits, '.', '_' and '-', not starting with '.'";

  /** The number of runs the grid expands to. */
  public int size() {
    return datasets.size() * ratios.size() * methods.size() * seeds.size();
  }

  private static Map<String, Config> objects(ConfigObject parent) {
    Map<String, Config> out = new java.util.TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : parent.entrySet()) {
      if (e.getValue() instanceof ConfigObject) {
        out.put(e.getKey(), ((ConfigObject) e.getValue()).toConfig());
      } else {
        throw new com.typesafe.config.ConfigException.BadValue(e.getValue().origin(),
            "sweep." + e.getKey(), "must be an object of settings");
      }
    }
    return out;
  }
}
