package org.ttcspark.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;
import org.ttcspark.platform.RunConfig;

/**
 * Expands a {@link SweepSpec} into runs, as the cartesian product datasets × ratios × methods ×
 * seeds (in that nesting order). A trial's configuration is its own settings over the method's,
 * over the sweep's shared {@code overrides}, over the dataset's, over the invocation's
 * configuration (lightbend/config's {@code withFallback}). Every trial is validated before the
 * first one starts: a typo in the last trial fails the sweep at once, not after hours.
 */
public final class SweepPlan {
  private SweepPlan() {}

  /** The runs of the sweep described by {@code base}'s {@code sweep} section. */
  public static List<PlannedRun> expand(Config base) {
    SweepSpec spec = SweepSpec.from(base);
    String sweepDir = RunConfig.from(base).dir() + "/" + spec.name();
    List<PlannedRun> runs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (var dataset : spec.datasets().entrySet()) {
      for (double ratio : spec.ratios()) {
        for (String method : spec.methods()) {
          for (long seed : spec.seeds()) {
            try {
              runs.add(plan(spec, base, sweepDir, dataset.getKey(), dataset.getValue(), ratio,
                  method, seed));
            } catch (ConfigProblems e) {
              problems.addAll(e.problems());
            }
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigProblems(problems.stream().distinct().toList());
    }
    return runs;
  }

  private static PlannedRun plan(SweepSpec spec, Config base, String sweepDir, String dataset,
      Config datasetSettings, double ratio, String method, long seed) {
    String label = "sweep run " + dataset + "/" + ratio + "/" + method + "/" + seed;
    Config trial = ConfigFactory.empty()
        .withValue("run.seed", ConfigValueFactory.fromAnyRef(seed, label))
        .withValue("dataset.ratios", ConfigValueFactory.fromIterable(ratios(spec, ratio), label))
        .withValue("loss.minority-class",
            ConfigValueFactory.fromAnyRef(spec.minorityClass(), label));
    if (!method.equals(SweepSpec.CROSS_ENTROPY)) {
      trial = trial.withValue("loss.method", ConfigValueFactory.fromAnyRef(method, label));
    }
    if (method.equals("bcl") || method.equals("paco")) {
      // their classifier heads train on the driver over the whole batch: global scope only
      trial = trial.withValue("train.loss-scope", ConfigValueFactory.fromAnyRef("global",
          label + " (bcl and paco train with the global loss scope)"));
    }
    Config overlay = trial
        .withFallback(spec.methodOverrides().getOrDefault(method, ConfigFactory.empty()))
        .withFallback(spec.overrides())
        .withFallback(datasetSettings);
    Config resolved = ConfigLoader.overlay(overlay, base, label);
    // CE trains with train-ce, which reads no loss key: without its name in the fingerprint a
    // CE run whose other settings equal a contrastive run's would share that run's hash.
    String hash = ConfigHash.of(method.equals(SweepSpec.CROSS_ENTROPY)
        ? resolved.withValue("loss.method", ConfigValueFactory.fromAnyRef(method, label))
        : resolved);
    String datasetHash = ConfigHash.of(resolved, Set.of("dataset", "prepare", "run"));
    String name = dataset + "-r" + fmt(ratio) + "-" + method + "-s" + seed + "-" + hash;
    String runFolder = sweepDir + "/runs/" + name;
    String datasetFolder = sweepDir + "/datasets/" + dataset + "-r" + fmt(ratio) + "-s" + seed
        + "-" + datasetHash;
    Config located = ConfigFactory.empty()
        .withValue("run.dir", ConfigValueFactory.fromAnyRef(sweepDir + "/runs", label))
        .withValue("run.name", ConfigValueFactory.fromAnyRef(name, label))
        .withFallback(resolved);
    return new PlannedRun(dataset, ratio, method, seed, located, hash, runFolder, datasetFolder);
  }

  private static List<Double> ratios(SweepSpec spec, double minority) {
    List<Double> r = new ArrayList<>(List.of(1 - minority, 1 - minority));
    r.set(spec.minorityClass(), minority);
    return r;
  }

  /** A ratio as it appears in names: 0.01 → "0.01", 0.5 → "0.5". */
  static String fmt(double ratio) {
    String s = String.format(Locale.ROOT, "%.6f", ratio).replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }
}
