package org.ttcspark.sweep.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict of a sweep in words and numbers, one paragraph per dataset and minority ratio:
 * which method leads on each headline metric, whether the lead is larger than the seed spread,
 * and which runs collapsed. The same text goes into the report and onto the console at the end
 * of {@code ttc sweep} and {@code ttc demo}, so a reader needs no chart to learn the result.
 */
public final class Verdict {
  private Verdict() {}

  /**
   * What the verdict needs to know about a dataset besides the rows.
   *
   * @param minorityClass the minority label (0 or 1), or -1 when unknown
   * @param subtypes latent sub-types per class, 0 when the dataset has none
   */
  public record DatasetInfo(int minorityClass, int subtypes) {}

  /** One paragraph per (dataset, ratio) of {@code rows} (cells as text, as in results.csv). */
  public static List<String> paragraphs(List<Map<String, String>> rows,
      Map<String, DatasetInfo> info) {
    Map<String, TreeMap<Double, List<Map<String, String>>>> groups = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      double ratio = parse(r.get("ratio"));
      groups.computeIfAbsent(String.valueOf(r.get("dataset")), d -> new TreeMap<>())
          .computeIfAbsent(ratio, x -> new ArrayList<>()).add(r);
    }
    List<String> out = new ArrayList<>();
    groups.forEach((dataset, byRatio) -> byRatio.forEach((ratio, group) -> out.add(
        paragraph(dataset, ratio, group, info.getOrDefault(dataset, new DatasetInfo(-1, 0))))));
    return out;
  }

  /** The paragraph of one dataset at one ratio. */
  static String paragraph(String dataset, double ratio, List<Map<String, String>> rows,
      DatasetInfo info) {
    List<Map<String, String>> ok = rows.stream().filter(r -> "ok".equals(r.get("status")))
        .toList();
    long methods = ok.stream().map(r -> r.get("method")).distinct().count();
    long seeds = ok.stream().map(r -> r.get("seed")).distinct().count();
    StringBuilder sb = new StringBuilder().append(dataset).append(", ")
        .append(Double.isNaN(ratio) ? "unknown ratio" : percent(ratio) + " minority")
        .append(" (").append(methods).append(methods == 1 ? " method" : " methods")
        .append(" × ").append(seeds).append(seeds == 1 ? " seed" : " seeds")
        .append("; mean (min–max over seeds)).");
    if (rows.size() > ok.size()) {
      sb.append(' ').append(rows.size() - ok.size()).append(" of ").append(rows.size())
          .append(" runs did not finish and are left out.");
    }
    if (ok.isEmpty()) {
      return sb.append(" No finished run.").toString();
    }
    List<String> columns = new ArrayList<>(List.of("probe_auroc", "probe_balanced_accuracy",
        "finetune_auroc", "finetune_balanced_accuracy"));
    if (info.minorityClass() == 0 || info.minorityClass() == 1) {
      columns.add("subtype_knn_" + (1 - info.minorityClass()));
    }
    for (String column : columns) {
      MetricScale scale = MetricScale.of(column, info.subtypes());
      String label = column.startsWith("subtype_knn_") ? "Majority " + scale.title()
          : capitalise(scale.title());
      String sentence = metricSentence(ok, column, scale, label);
      if (sentence != null) {
        sb.append(' ').append(sentence);
      }
    }
    sb.append(' ').append(collapseSentence(ok));
    String diverged = divergedSentence(ok);
    return (diverged == null ? sb : sb.append(' ').append(diverged)).toString();
  }

  /**
   * Which runs' fine-tuning heads diverged, by method and seed, or null when none did (or no
   * run was fine-tuned): their finetune scores above are not the encoder's.
   */
  static String divergedSentence(List<Map<String, String>> rows) {
    Map<String, List<String>> diverged = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      if (SweepReport.finetuneDiverged(r)) {
        diverged.computeIfAbsent(r.get("method"), m -> new ArrayList<>()).add(r.get("seed"));
      }
    }
    if (diverged.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    diverged.forEach((m, s) -> {
      long of = rows.stream().filter(r -> m.equals(r.get("method"))
          && r.containsKey(SweepReport.FINETUNE_DIVERGED)).count();
      parts.add(m + " " + s.size() + " of " + of + " (seed" + (s.size() == 1 ? " " : "s ")
          + String.join(", ", s) + ")");
    });
    return "Fine-tuning head diverged (its finetune scores say nothing about the encoder): "
        + String.join("; ", parts) + ".";
  }

  /** "Probe AUROC (chance 0.500): a 0.9 (..), b 0.8 (..); a leads b by 0.1, ..." or null. */
  static String metricSentence(List<Map<String, String>> rows, String column,
      MetricScale scale, String label) {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      if (r.containsKey(column)) {
        values.computeIfAbsent(r.get("method"), m -> new ArrayList<>())
            .add(parse(r.get(column)));
      }
    }
    List<Map.Entry<String, SeedStats>> ranked = new ArrayList<>();
    values.forEach((m, v) -> {
      SeedStats s = SeedStats.of(v);
      if (s != null) {
        ranked.add(Map.entry(m, s));
      }
    });
    if (ranked.isEmpty()) {
      return null;
    }
    ranked.sort(Comparator.comparingDouble(
        (Map.Entry<String, SeedStats> e) -> e.getValue().mean()).reversed());
    StringBuilder sb = new StringBuilder(label);
    if (scale.hasChance()) {
      sb.append(" (chance ").append(scale.format(scale.chance())).append(')');
    }
    sb.append(": ");
    for (int i = 0; i < ranked.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(ranked.get(i).getKey()).append(' ')
          .append(ranked.get(i).getValue().format(scale));
    }
    if (ranked.size() < 2) {
      return sb.append('.').toString();
    }
    String lead = ranked.get(0).getKey();
    String next = ranked.get(1).getKey();
    SeedStats a = ranked.get(0).getValue();
    SeedStats b = ranked.get(1).getValue();
    if (scale.format(a.mean() - b.mean()).equals(scale.format(0))) {
      return sb.append("; ").append(lead).append(" and ").append(next).append(" are level.")
          .toString();
    }
    sb.append("; ").append(lead).append(" leads ").append(next).append(" by ")
        .append(scale.format(a.mean() - b.mean()));
    if (a.n() < 2 || b.n() < 2) {
      sb.append(" (one seed: no spread to compare with).");
    } else if (a.clearlyAbove(b)) {
      sb.append(", more than the seed spread (ranges ").append(scale.format(a.range()))
          .append(" and ").append(scale.format(b.range())).append(" do not overlap).");
    } else {
      sb.append(", within the seed spread (ranges ").append(scale.format(a.range()))
          .append(" and ").append(scale.format(b.range())).append(" overlap).");
    }
    return sb.toString();
  }

  /** Which runs ended collapsed (the detector fired in their last epoch), by method and seed. */
  static String collapseSentence(List<Map<String, String>> rows) {
    List<Map<String, String>> checked = rows.stream().filter(r -> "true".equalsIgnoreCase(
        r.get("collapsed")) || "false".equalsIgnoreCase(r.get("collapsed"))).toList();
    if (checked.isEmpty()) {
      return "Collapse was not checked for these runs (no collapse detector in their logs).";
    }
    String unchecked = checked.size() == rows.size() ? ""
        : " " + (rows.size() - checked.size()) + " runs were not checked for collapse.";
    Map<String, List<String>> collapsed = new LinkedHashMap<>();
    for (Map<String, String> r : checked) {
      if ("true".equalsIgnoreCase(r.get("collapsed"))) {
        collapsed.computeIfAbsent(r.get("method"), m -> new ArrayList<>()).add(r.get("seed"));
      }
    }
    if (collapsed.isEmpty()) {
      return "No run collapsed." + unchecked;
    }
    StringBuilder sb = new StringBuilder("Collapsed (loss at the value of a collapsed batch in "
        + "the last epoch): ");
    List<String> parts = new ArrayList<>();
    collapsed.forEach((m, s) -> {
      long of = checked.stream().filter(r -> m.equals(r.get("method"))).count();
      parts.add(m + " " + s.size() + " of " + of + " (seed" + (s.size() == 1 ? " " : "s ")
          + String.join(", ", s) + ")");
    });
    return sb.append(String.join("; ", parts)).append('.').append(unchecked).toString();
  }

  /** 0.01 → "1 %", 0.005 → "0.5 %". */
  static String percent(double ratio) {
    return new BigDecimal(Double.toString(ratio)).movePointRight(2).stripTrailingZeros()
        .toPlainString() + " %";
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  static double parse(String s) {
    try {
      return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
