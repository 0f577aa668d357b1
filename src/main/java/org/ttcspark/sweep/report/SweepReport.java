package org.ttcspark.sweep.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sweep part of the report: for each dataset, charts of a result column against the
 * minority ratio with one line per method (mean over seeds of the finished runs), and the
 * results table.
 */
public final class SweepReport {
  /** Result columns charted against the ratio, with their titles, when present. */
  static final Map<String, String> CHARTED = charted();

  private SweepReport() {}

  /** The charts and table of {@code rows} (cells as text, as read from results.csv). */
  public static String html(List<Map<String, String>> rows) {
    StringBuilder sb = new StringBuilder();
    Set<String> datasets = new LinkedHashSet<>();
    rows.forEach(r -> datasets.add(r.get("dataset")));
    for (String dataset : datasets) {
      sb.append("<section><h2>Dataset ").append(Html.escape(dataset)).append("</h2>")
          .append("<div class=\"row\">");
      for (Map.Entry<String, String> col : CHARTED.entrySet()) {
        if (rows.isEmpty() || !rows.get(0).containsKey(col.getKey())) {
          continue;
        }
        SvgChart chart = new SvgChart(col.getValue(), "minority ratio", col.getKey(), true);
        for (Map.Entry<String, List<double[]>> s : series(rows, dataset, col.getKey())
            .entrySet()) {
          chart.add(s.getKey(), s.getValue());
        }
        sb.append(chart.render());
      }
      sb.append("</div></section>");
    }
    return sb.append(table(rows)).toString();
  }

  /** method → {ratio, mean value over the finished runs of that ratio}, ratios ascending. */
  static Map<String, List<double[]>> series(List<Map<String, String>> rows, String dataset,
      String column) {
    Map<String, TreeMap<Double, double[]>> sums = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      if (!dataset.equals(r.get("dataset")) || !"ok".equals(r.get("status"))) {
        continue;
      }
      double v = parse(r.get(column));
      double ratio = parse(r.get("ratio"));
      if (Double.isNaN(v) || Double.isNaN(ratio)) {
        continue;
      }
      double[] acc = sums.computeIfAbsent(r.get("method"), m -> new TreeMap<>())
          .computeIfAbsent(ratio, x -> new double[2]);
      acc[0] += v;
      acc[1] += 1;
    }
    Map<String, List<double[]>> out = new LinkedHashMap<>();
    sums.forEach((method, byRatio) -> {
      List<double[]> pts = new ArrayList<>();
      byRatio.forEach((ratio, acc) -> pts.add(new double[] {ratio, acc[0] / acc[1]}));
      out.put(method, pts);
    });
    return out;
  }

  static String table(List<Map<String, String>> rows) {
    if (rows.isEmpty()) {
      return "<p>No runs yet.</p>";
    }
    StringBuilder sb = new StringBuilder("<h2>Results</h2><table class=\"results\"><tr>");
    for (String c : rows.get(0).keySet()) {
      sb.append("<th>").append(Html.escape(c)).append("</th>");
    }
    sb.append("</tr>");
    for (Map<String, String> r : rows) {
      sb.append("<tr>");
      r.values().forEach(v -> sb.append("<td>").append(Html.escape(v)).append("</td>"));
      sb.append("</tr>");
    }
    return sb.append("</table>").toString();
  }

  private static double parse(String s) {
    try {
      return s == null || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static Map<String, String> charted() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("probe_balanced_accuracy", "probe balanced accuracy");
    m.put("probe_auroc", "probe AUROC");
    m.put("probe_minority_f1", "probe minority-class F1");
    m.put("finetune_balanced_accuracy", "finetune balanced accuracy");
    m.put("finetune_auroc", "finetune AUROC");
    m.put("saa_0", "SAA class 0");
    m.put("saa_1", "SAA class 1");
    m.put("cac_0", "CAC class 0");
    m.put("cac_1", "CAC class 1");
    m.put("subtype_knn_0", "sub-type k-NN class 0");
    m.put("subtype_knn_1", "sub-type k-NN class 1");
    return m;
  }
}
