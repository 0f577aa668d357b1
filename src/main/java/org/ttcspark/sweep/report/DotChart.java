package org.ttcspark.sweep.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One metric of a sweep as inline SVG: a group per minority ratio, one dot per method at the
 * mean over seeds with a whisker from the worst to the best seed, on the metric's fixed axis
 * with the chance level drawn as a dashed line. Groups, not a line over the ratio, so that a
 * sweep of one ratio draws as clearly as one of five.
 */
public final class DotChart {
  private static final String[] COLOURS = SvgChart.COLOURS;
  private static final int W = SvgChart.W;
  private static final int H = SvgChart.H;
  private static final int LEFT = SvgChart.LEFT;
  private static final int RIGHT = SvgChart.RIGHT;
  private static final int TOP = SvgChart.TOP;
  private static final int BOTTOM = SvgChart.BOTTOM;

  private final MetricScale scale;
  private final String groupLabel;
  private final Map<String, Map<String, SeedStats>> series = new LinkedHashMap<>();

  /** @param groupLabel what the groups are (the x axis' label) */
  public DotChart(MetricScale scale, String groupLabel) {
    this.scale = scale;
    this.groupLabel = groupLabel;
  }

  /** Adds a method's statistics in {@code group}; null statistics are skipped. */
  public DotChart add(String method, String group, SeedStats stats) {
    if (stats != null) {
      series.computeIfAbsent(method, m -> new LinkedHashMap<>()).put(group, stats);
    }
    return this;
  }

  /** The chart as an {@code <svg>} element. */
  public String render() {
    Set<String> groups = new LinkedHashSet<>();
    series.values().forEach(m -> groups.addAll(m.keySet()));
    List<String> groupList = new ArrayList<>(groups);
    double lo = scale.min();
    double hi = scale.max();
    for (Map<String, SeedStats> m : series.values()) {
      for (SeedStats s : m.values()) {
        lo = Math.min(lo, s.min());
        hi = Math.max(hi, s.max());
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"metric\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">", W, H, W, H));
    sb.append(SvgChart.text(W / 2.0 - RIGHT / 2.0, 16, scale.title(), "middle", 13));
    double plotW = W - LEFT - RIGHT;
    double plotH = H - TOP - BOTTOM;
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" "
        + "fill=\"none\" stroke=\"#999\"/>", LEFT, TOP, plotW, plotH));
    final double min = lo;
    final double max = hi;
    java.util.function.DoubleUnaryOperator py = v -> TOP + plotH - plotH * (v - min) / (max - min);
    for (int i = 0; i <= 4; i++) {
      double v = scale.min() + (scale.max() - scale.min()) * i / 4;
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
          + "stroke=\"#eee\"/>", LEFT, LEFT + plotW, py.applyAsDouble(v), py.applyAsDouble(v)));
      sb.append(SvgChart.text(LEFT - 5, py.applyAsDouble(v) + 4, scale.tick(v), "end", 10));
    }
    if (scale.hasChance()) {
      double y = py.applyAsDouble(scale.chance());
      sb.append(String.format(Locale.ROOT, "<line class=\"chance\" x1=\"%d\" x2=\"%.0f\" "
          + "y1=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>", LEFT,
          LEFT + plotW, y, y));
      sb.append(SvgChart.text(LEFT + plotW - 3, y - 4, "chance " + scale.format(scale.chance()),
          "end", 10));
    }
    if (groupList.isEmpty()) {
      sb.append(SvgChart.text(LEFT + plotW / 2, TOP + plotH / 2, "no data", "middle", 12));
    }
    double groupW = plotW / Math.max(1, groupList.size());
    int methods = Math.max(1, series.size());
    for (int g = 0; g < groupList.size(); g++) {
      sb.append(SvgChart.text(LEFT + groupW * (g + 0.5), TOP + plotH + 14, groupList.get(g),
          "middle", 10));
    }
    sb.append(SvgChart.text(LEFT + plotW / 2, H - 8, groupLabel, "middle", 11));
    int k = 0;
    for (Map.Entry<String, Map<String, SeedStats>> e : series.entrySet()) {
      String colour = COLOURS[k % COLOURS.length];
      for (Map.Entry<String, SeedStats> p : e.getValue().entrySet()) {
        int g = groupList.indexOf(p.getKey());
        double x = LEFT + groupW * g + groupW * (k + 1) / (methods + 1);
        SeedStats s = p.getValue();
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
            + "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>", x, x, py.applyAsDouble(s.min()),
            py.applyAsDouble(s.max()), colour));
        sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">"
            + "<title>%s</title></circle>", x, py.applyAsDouble(s.mean()), colour,
            Html.escape(e.getKey() + ": " + s.format(scale) + ", " + s.n() + " seeds")));
      }
      double ly = TOP + 12 + 16 * k;
      sb.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.1f\" width=\"10\" "
          + "height=\"10\" fill=\"%s\"/>", W - RIGHT + 10.0, ly - 9, colour));
      sb.append(SvgChart.text(W - RIGHT + 24, ly, e.getKey(), "start", 11));
      k++;
    }
    sb.append(SvgChart.text(W - RIGHT + 10, TOP + plotH + 14, "dot: mean; bar: min–max",
        "start", 9));
    return sb.append("</svg>").toString();
  }
}
