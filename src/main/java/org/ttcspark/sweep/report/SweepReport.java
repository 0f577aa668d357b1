package org.ttcspark.sweep.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sweep part of the report: for each dataset the verdict per minority ratio, then one chart
 * per result column (mean over the seeds of the finished runs, min–max whisker, the column's
 * fixed axis and chance level, one group per ratio), and the results table.
 */
public final class SweepReport {
  /** Result columns charted, in this order, when present. */
  static final List<String> CHARTED = List.of("probe_balanced_accuracy", "probe_auroc",
      "probe_minority_f1", "finetune_balanced_accuracy", "finetune_auroc", "saa_0", "saa_1", "cac_0", "cac_1", "subtype_knn_0",
      "subtype_knn_1");

  /**
   * The result column that says a row's fine-tuning head diverged (true, false, or absent
   * without a finetune stage): its finetune scores then say nothing about the encoder.
   */
  static final String FINETUNE_DIVERGED = "finetune_diverged";
  /** The marker of a diverged finetune's cells, explained under the table. */
  static final String DIVERGED_MARK = "\u2020";

  private SweepReport() {}

  /**
   * The verdicts, charts and table of {@code rows} (cells as text, as read from results.csv).
   *
   * @param info per dataset, its minority class and sub-type count (absent: unknown)
   */
  public static String html(List<Map<String, String>> rows,
      Map<String, Verdict.DatasetInfo> info) {
    StringBuilder sb = new StringBuilder();
    Set<String> datasets = new LinkedHashSet<>();
    rows.forEach(r -> datasets.add(r.get("dataset")));
    for (String dataset : datasets) {
      List<Map<String, String>> own = rows.stream()
          .filter(r -> Objects.equals(dataset, r.get("dataset"))).toList();
      Verdict.DatasetInfo di = info.getOrDefault(dataset, new Verdict.DatasetInfo(-1, 0));
      sb.append("<section><h2>Dataset ").append(Html.escape(dataset)).append("</h2>");
      for (String p : Verdict.paragraphs(own, Map.of(String.valueOf(dataset), di))) {
        sb.append("<p class=\"verdict\">").append(Html.escape(p)).append("</p>");
      }
      sb.append("<div class=\"row\">");
      for (String column : CHARTED) {
        if (own.stream().noneMatch(r -> r.containsKey(column))) {
          continue;
        }
        DotChart chart = new DotChart(MetricScale.of(column, di.subtypes()), "minority ratio");
        stats(own, column).forEach((method, byRatio) -> byRatio.forEach(
            (ratio, st) -> chart.add(method, Verdict.percent(ratio), st)));
        sb.append(chart.render());
      }
      sb.append("</div></section>");
    }
    return sb.append(table(rows)).toString();
  }

  /** method → ratio (ascending) → statistics over the finished runs' values of the column. */
  static Map<String, TreeMap<Double, SeedStats>> stats(List<Map<String, String>> rows,
      String column) {
    Map<String, TreeMap<Double, List<Double>>> values = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      double ratio = Verdict.parse(r.get("ratio"));
      if (!"ok".equals(r.get("status")) || Double.isNaN(ratio)) {
        continue;
      }
      values.computeIfAbsent(r.get("method"), m -> new TreeMap<>())
          .computeIfAbsent(ratio, x -> new ArrayList<>()).add(Verdict.parse(r.get(column)));
    }
    Map<String, TreeMap<Double, SeedStats>> out = new LinkedHashMap<>();
    values.forEach((method, byRatio) -> {
      TreeMap<Double, SeedStats> m = new TreeMap<>();
      byRatio.forEach((ratio, v) -> {
        SeedStats st = SeedStats.of(v);
        if (st != null) {
          m.put(ratio, st);
        }
      });
      out.put(method, m);
    });
    return out;
  }

  /**
   * The results table; a row whose fine-tuning head diverged has its finetune cells marked
   * (red, {@link #DIVERGED_MARK}) and is named in a line under the table, so that its finetune
   * numbers are never read as the encoder's.
   */
  static String table(List<Map<String, String>> rows) {
    if (rows.isEmpty()) {
      return "<p>No runs yet.</p>";
    }
    StringBuilder sb = new StringBuilder("<h2>Results</h2><table class=\"results\"><tr>");
    for (String c : rows.get(0).keySet()) {
      sb.append("<th>").append(Html.escape(c)).append("</th>");
    }
    sb.append("</tr>");
    List<Map<String, String>> diverged = new ArrayList<>();
    for (Map<String, String> r : rows) {
      boolean mark = finetuneDiverged(r);
      if (mark) {
        diverged.add(r);
      }
      sb.append("<tr>");
      r.forEach((c, v) -> sb.append(mark && c.startsWith("finetune_")
          ? "<td class=\"collapsed\">" + Html.escape(v) + " " + DIVERGED_MARK
          : "<td>" + Html.escape(v)).append("</td>"));
      sb.append("</tr>");
    }
    sb.append("</table>");
    if (!diverged.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Map<String, String> r : diverged) {
        names.add(r.get("dataset") + " " + r.get("ratio") + " " + r.get("method") + " seed "
            + r.get("seed"));
      }
      sb.append("<p class=\"collapsed\">").append(DIVERGED_MARK)
          .append(" Fine-tuning head diverged (its training loss ended far above a classifier "
              + "that learns; README, \"Fine-tuning\") in ").append(diverged.size())
          .append(" of ").append(rows.size()).append(rows.size() == 1 ? " run: " : " runs: ")
          .append(Html.escape(String.join("; ", names)))
          .append(". Their finetune scores say nothing about the encoder; read the probe's.</p>");
    }
    return sb.toString();
  }

  /** Whether {@code row}'s fine-tuning head diverged ({@link #FINETUNE_DIVERGED} true). */
  static boolean finetuneDiverged(Map<String, String> row) {
    return "true".equalsIgnoreCase(row.get(FINETUNE_DIVERGED));
  }
}
