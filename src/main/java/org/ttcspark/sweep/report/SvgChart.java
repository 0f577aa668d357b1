package org.ttcspark.sweep.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart as inline SVG: several named series of (x, y) points, linear axes with a few
 * ticks, a legend. Small and dependency-free so the report opens anywhere without network.
 */
public final class SvgChart {
  /** Series colours, and the frame every chart of the report shares (pixels). */
  static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  static final int W = 520;
  static final int H = 300;
  static final int LEFT = 60;
  static final int RIGHT = 130;
  static final int TOP = 30;
  static final int BOTTOM = 45;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logX;
  private final Map<String, List<double[]>> series = new LinkedHashMap<>();
  private final Map<String, Double> references = new LinkedHashMap<>();
  private MetricScale scale;

  /** @param logX plot x on a log10 scale (minority ratios 0.01 .. 0.5) */
  public SvgChart(String title, String xLabel, String yLabel, boolean logX) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logX = logX;
  }

  /** Adds a series; points are {x, y}; non-finite y values are skipped. */
  public SvgChart add(String name, List<double[]> points) {
    series.put(name, points.stream().filter(p -> Double.isFinite(p[1])
        && (!logX || p[0] > 0)).toList());
    return this;
  }

  /**
   * Fixes the y axis to the scale's range (widened only if a value falls outside) and draws its
   * chance level, so that a curve near chance looks like one.
   */
  public SvgChart scale(MetricScale fixed) {
    this.scale = fixed;
    if (fixed.hasChance()) {
      references.put("chance " + fixed.format(fixed.chance()), fixed.chance());
    }
    return this;
  }

  /** Draws a dashed horizontal line at {@code y} labelled {@code label} (if finite). */
  public SvgChart reference(String label, double y) {
    if (Double.isFinite(y)) {
      references.put(label, y);
    }
    return this;
  }

  /** The chart as an {@code <svg>} element. */
  public String render() {
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (List<double[]> pts : series.values()) {
      for (double[] p : pts) {
        double x = tx(p[0]);
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    if (Double.isFinite(minX)) {
      for (double r : references.values()) {
        minY = Math.min(minY, r);
        maxY = Math.max(maxY, r);
      }
    }
    if (scale != null && Double.isFinite(minX)) {
      minY = Math.min(minY, scale.min());
      maxY = Math.max(maxY, scale.max());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">",
        W, H, W, H));
    sb.append(text(W / 2.0 - RIGHT / 2.0, 16, title, "middle", 13));
    if (!Double.isFinite(minX)) {
      sb.append(text(W / 2.0, H / 2.0, "no data", "middle", 12)).append("</svg>");
      return sb.toString();
    }
    if (maxX == minX) {
      maxX = minX + 1;
    }
    if (maxY == minY) {
      maxY = minY + Math.max(1e-9, Math.abs(minY) * 0.1);
      minY = minY - Math.max(1e-9, Math.abs(minY) * 0.1);
    }
    double plotW = W - LEFT - RIGHT;
    double plotH = H - TOP - BOTTOM;
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" "
        + "fill=\"none\" stroke=\"#999\"/>", LEFT, TOP, plotW, plotH));
    for (int i = 0; i <= 4; i++) {
      double fy = minY + (maxY - minY) * i / 4;
      double py = TOP + plotH - plotH * i / 4;
      sb.append(text(LEFT - 5, py + 4, scale != null && fy >= scale.min() && fy <= scale.max()
          ? scale.tick(fy) : num(fy), "end", 10));
      double fx = minX + (maxX - minX) * i / 4;
      double px = LEFT + plotW * i / 4;
      sb.append(text(px, TOP + plotH + 14, num(logX ? Math.pow(10, fx) : fx), "middle", 10));
    }
    sb.append(text(LEFT + plotW / 2, H - 8, xLabel, "middle", 11));
    sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" "
        + "transform=\"rotate(-90 14 %.1f)\">%s</text>", TOP + plotH / 2, TOP + plotH / 2,
        Html.escape(yLabel)));
    for (Map.Entry<String, Double> r : references.entrySet()) {
      double py = TOP + plotH - plotH * (r.getValue() - minY) / (maxY - minY);
      sb.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%d\" x2=\"%.0f\" "
          + "y1=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>",
          r.getKey().startsWith("chance") ? "chance" : "reference", LEFT, LEFT + plotW, py, py));
      sb.append(text(LEFT + plotW - 3, py - 4, r.getKey(), "end", 10));
    }
    int k = 0;
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      String colour = COLOURS[k % COLOURS.length];
      StringBuilder path = new StringBuilder();
      for (double[] p : e.getValue()) {
        double px = LEFT + plotW * (tx(p[0]) - minX) / (maxX - minX);
        double py = TOP + plotH - plotH * (p[1] - minY) / (maxY - minY);
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT,
            "%.1f %.1f", px, py));
        if (e.getValue().size() <= 30) {
          sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
              + "fill=\"%s\"/>", px, py, colour));
        }
      }
      sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour)
          .append("\" stroke-width=\"1.5\"/>");
      double ly = TOP + 12 + 16 * k;
      sb.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.1f\" width=\"10\" "
          + "height=\"10\" fill=\"%s\"/>", W - RIGHT + 10.0, ly - 9, colour));
      sb.append(text(W - RIGHT + 24, ly, e.getKey(), "start", 11));
      k++;
    }
    return sb.append("</svg>").toString();
  }

  private double tx(double x) {
    return logX ? Math.log10(x) : x;
  }

  private static String num(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 0.01 || a >= 10000)) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    return String.format(Locale.ROOT, a < 1 ? "%.3f" : "%.1f", v);
  }

  static String text(double x, double y, String s, String anchor, int size) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
        + "font-size=\"%d\">%s</text>", x, y, anchor, size, Html.escape(s));
  }
}
