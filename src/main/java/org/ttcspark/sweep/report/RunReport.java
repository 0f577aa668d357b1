package org.ttcspark.sweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ttcspark.sweep.TrainingLog;

/**
 * What the report shows of one run, read from its folder by {@link ReportWriter}; every field
 * may be missing (null or empty) when the run stopped before writing it.
 *
 * @param name the run's folder name
 * @param folder the run's folder path, as text
 * @param settings a few headline settings (method, dataset, ratio, seed, backbone, epochs)
 * @param training the run's metrics.jsonl: loss, learning rate, online evaluation, collapses
 * @param subtypes latent sub-types per class of the run's dataset (0: none), for the chance
 *     level of the online sub-type k-NN
 * @param probe {@code probe.json}, or null
 * @param metrics {@code metrics.json}, or null
 * @param projectionPng the embedding projection plot ({@code metrics.png}), or null
 */
public record RunReport(String name, String folder, Map<String, String> settings,
    TrainingLog training, int subtypes, JsonNode probe, JsonNode metrics, byte[] projectionPng) {

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
    sb.append(collapseNote(training));
    sb.append("<div class=\"row\">");
    if (!training.loss().isEmpty()) {
      SvgChart loss = new SvgChart("training loss", "iteration", "loss", false)
          .add("loss", training.loss());
      if (training.collapsedLoss() != null) {
        loss.reference("collapsed " + String.format(Locale.ROOT, "%.3f",
            training.collapsedLoss()), training.collapsedLoss());
      }
      sb.append(loss.render());
    }
    if (!training.lr().isEmpty()) {
      sb.append(new SvgChart("learning rate", "iteration", "lr", false)
          .add("lr", training.lr()).render());
    }
    sb.append(onlineCharts(training, subtypes));
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

  /**
   * A visible warning when the run ended collapsed, naming the epochs the detector fired in; a
   * quieter note when it fired only early and training moved away from the collapsed value;
   * "" when it never fired.
   */
  static String collapseNote(TrainingLog training) {
    if (training.collapses().isEmpty()) {
      return "";
    }
    String epochs = training.collapseEpochRanges();
    String plural = epochs.matches("\\d+") ? "epoch " : "epochs ";
    if (!training.collapsed()) {
      return "<p>The collapse detector fired in " + plural + epochs + " and not in the last "
          + "epoch (" + training.lastEpoch() + "): an untrained encoder's projections are "
          + "nearly parallel, so early iterations can look collapsed; the run did not end "
          + "collapsed.</p>";
    }
    TrainingLog.Collapse last = training.collapses().get(training.collapses().size() - 1);
    StringBuilder sb = new StringBuilder("<p class=\"collapsed\">Collapsed: the detector fired "
        + "in " + plural + epochs + String.format(Locale.ROOT,
            ", last in epoch %d (iteration %d): loss %.4f", last.epoch(), last.iteration(),
            last.loss()));
    if (last.collapsedLoss() != null) {
      sb.append(String.format(Locale.ROOT, " against %.4f for a collapsed batch",
          last.collapsedLoss()));
    }
    if (last.batchMeanCosine() != null) {
      sb.append(String.format(Locale.ROOT, ", batch mean cosine %.4f", last.batchMeanCosine()));
    }
    return sb.append(".</p>").toString();
  }

  /**
   * The online-evaluation curves against the epoch: the probe-like scores (chance 0.5) in one
   * chart, the sub-type k-NN scores (chance 1/k) in another, both on a fixed 0–1 axis.
   */
  static String onlineCharts(TrainingLog training, int subtypes) {
    if (training.online().isEmpty()) {
      return "";
    }
    SvgChart knn = new SvgChart("online k-NN (val)", "epoch", "score", false)
        .scale(MetricScale.online("knn_auroc", subtypes));
    SvgChart sub = new SvgChart("online sub-type k-NN (val)", "epoch", "accuracy", false)
        .scale(MetricScale.online("subtype_knn_accuracy", subtypes));
    boolean anySub = false;
    for (Map.Entry<String, List<double[]>> e : training.online().entrySet()) {
      if (e.getKey().contains("subtype")) {
        sub.add(e.getKey().replace("_accuracy", ""), e.getValue());
        anySub = true;
      } else {
        knn.add(e.getKey(), e.getValue());
      }
    }
    return knn.render() + (anySub ? sub.render() : "");
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
}
