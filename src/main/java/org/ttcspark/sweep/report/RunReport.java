package org.ttcspark.sweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the report shows of one run, read from its folder by {@link ReportWriter}; every field
 * may be missing (null or empty) when the run stopped before writing it.
 *
 * @param name the run's folder name
 * @param folder the run's folder path, as text
 * @param settings a few headline settings (method, dataset, ratio, seed, backbone, epochs)
 * @param lossCurve {iteration, loss} per training iteration
 * @param probe {@code probe.json}, or null
 * @param metrics {@code metrics.json}, or null
 * @param projectionPng the embedding projection plot ({@code metrics.png}), or null
 */
public record RunReport(String name, String folder, Map<String, String> settings,
    List<double[]> lossCurve, JsonNode probe, JsonNode metrics, byte[] projectionPng) {

  /** The run as an HTML {@code <section>}. */
  public String html() {
    StringBuilder sb = new StringBuilder("<section class=\"run\"><h2>")
        .append(Html.escape(name)).append("</h2><p class=\"path\">")
        .append(Html.escape(folder)).append("</p>");
    if (!settings.isEmpty()) {
      sb.append("<table class=\"kv\">");
      settings.forEach((k, v) -> sb.append("<tr><th>").append(Html.escape(k))
          .append("</th><td>").append(Html.escape(v)).append("</td></tr>"));
      sb.append("</table>");
    }
    sb.append("<div class=\"row\">");
    if (!lossCurve.isEmpty()) {
      sb.append(new SvgChart("training loss", "iteration", "loss", false)
          .add("loss", lossCurve).render());
    }
    if (projectionPng != null) {
      sb.append("<img alt=\"embedding projection\" width=\"400\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(projectionPng)).append("\"/>");
    }
    sb.append("</div>");
    if (probe != null && probe.has("test")) {
      sb.append("<h3>Linear probe (test split)</h3>").append(probeTable(probe.get("test")));
    }
    if (metrics != null) {
      sb.append("<h3>Representation metrics</h3>").append(metricsTable(metrics));
    }
    return sb.append("</section>").toString();
  }

  static String probeTable(JsonNode test) {
    StringBuilder sb = new StringBuilder("<table><tr>");
    String[] keys = {"accuracy", "balanced_accuracy", "auroc", "minority_f1", "macro_f1"};
    for (String k : keys) {
      sb.append("<th>").append(k.replace('_', ' ')).append("</th>");
    }
    sb.append("</tr><tr>");
    for (String k : keys) {
      sb.append("<td>").append(num(test.get(k))).append("</td>");
    }
    return sb.append("</tr></table>").toString();
  }

  static String metricsTable(JsonNode m) {
    StringBuilder sb = new StringBuilder("<table><tr><th>metric</th><th>class 0</th>"
        + "<th>class 1</th></tr>");
    for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isObject() && e.getValue().has("0")) {
        sb.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>")
            .append(num(e.getValue().get("0"))).append("</td><td>")
            .append(num(e.getValue().get("1"))).append("</td></tr>");
      }
    }
    return sb.append("</table>").toString();
  }

  static String num(JsonNode n) {
    if (n == null || n.isNull() || !n.isNumber()) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.4f", n.asDouble());
  }

  /** Loss curve points from {@code metrics.jsonl} lines (iteration, loss). */
  static List<double[]> lossCurve(List<JsonNode> lines) {
    List<double[]> out = new ArrayList<>();
    for (JsonNode l : lines) {
      if (l.has("iteration") && l.has("loss")) {
        out.add(new double[] {l.get("iteration").asDouble(), l.get("loss").asDouble()});
      }
    }
    return out;
  }
}
