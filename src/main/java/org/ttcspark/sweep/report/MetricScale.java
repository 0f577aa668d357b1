package org.ttcspark.sweep.report;

import java.util.Locale;

/**
 * The fixed axis of a result column and its chance level, so that charts of different runs and
 * sweeps compare by eye and a result at chance looks like one: noise drawn on an axis scaled to
 * the noise (0.493–0.517) would look like an effect.
 *
 * @param title what the column measures, in words
 * @param min lower end of the axis
 * @param max upper end of the axis
 * @param percent values are percentages (0–100), else fractions or distances
 * @param chance the value a representation without information reaches, or NaN when there is
 *     no such single value (distances, F1 that depends on the class balance)
 */
public record MetricScale(String title, double min, double max, boolean percent, double chance) {

  /**
   * The scale of a results-table column, or null for a column that is not a metric.
   *
   * @param column the column name ({@code probe_auroc}, {@code subtype_knn_1}, ...)
   * @param subtypes the number of latent sub-types per class (sub-type k-NN's chance is 1/k of
   *     100 %), or 0 when unknown
   */
  public static MetricScale of(String column, int subtypes) {
    switch (column) {
      case "probe_auroc":
        return new MetricScale("probe AUROC", 0, 1, false, 0.5);
      case "probe_balanced_accuracy":
        return new MetricScale("probe balanced accuracy", 0, 1, false, 0.5);
      case "probe_accuracy":
        return new MetricScale("probe accuracy", 0, 1, false, Double.NaN);
      case "probe_minority_f1":
        return new MetricScale("probe minority-class F1", 0, 1, false, Double.NaN);
      case "probe_macro_f1":
        return new MetricScale("probe macro F1", 0, 1, false, Double.NaN);
      case "finetune_auroc":
        return new MetricScale("finetune AUROC", 0, 1, false, 0.5);
      case "finetune_balanced_accuracy":
        return new MetricScale("finetune balanced accuracy", 0, 1, false, 0.5);
      case "finetune_accuracy":
        return new MetricScale("finetune accuracy", 0, 1, false, Double.NaN);
      case "finetune_minority_f1":
        return new MetricScale("finetune minority-class F1", 0, 1, false, Double.NaN);
      case "finetune_macro_f1":
        return new MetricScale("finetune macro F1", 0, 1, false, Double.NaN);
      default:
        break;
    }
    int cut = column.lastIndexOf('_');
    if (cut < 0) {
      return null;
    }
    String metric = column.substring(0, cut);
    String cls = " class " + column.substring(cut + 1);
    switch (metric) {
      case "saa":
        return new MetricScale("SAA" + cls, 0, 100, true, Double.NaN);
      case "cac":
        return new MetricScale("CAC" + cls, 0, 100, true, Double.NaN);
      case "subtype_knn":
        return new MetricScale("sub-type k-NN" + cls, 0, 100, true,
            subtypes > 0 ? 100.0 / subtypes : Double.NaN);
      case "sad":
        return new MetricScale("SAD" + cls, 0, 2, false, Double.NaN);
      case "cad":
        return new MetricScale("CAD" + cls, 0, 2, false, Double.NaN);
      case "gpu":
        return new MetricScale("uniformity (GPU)" + cls, 0, 1, false, Double.NaN);
      default:
        return null;
    }
  }

  /** The scale of an online-evaluation column of metrics.jsonl (fractions), or null. */
  public static MetricScale online(String column, int subtypes) {
    switch (column) {
      case "knn_auroc":
        return new MetricScale("k-NN AUROC", 0, 1, false, 0.5);
      case "knn_balanced_accuracy":
        return new MetricScale("k-NN balanced accuracy", 0, 1, false, 0.5);
      case "knn_accuracy":
        return new MetricScale("k-NN accuracy", 0, 1, false, Double.NaN);
      case "subtype_knn_accuracy":
      case "majority_subtype_knn_accuracy":
        return new MetricScale(column.replace('_', ' '), 0, 1, false,
            subtypes > 0 ? 1.0 / subtypes : Double.NaN);
      default:
        return null;
    }
  }

  /** Whether there is a chance level to draw. */
  public boolean hasChance() {
    return Double.isFinite(chance);
  }

  /** A value as the report writes it: three decimals, or one with a % sign. */
  public String format(double v) {
    return percent ? String.format(Locale.ROOT, "%.1f %%", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  /** An axis tick label: percentages whole, fractions with one or two decimals (0.0, 0.25). */
  public String tick(double v) {
    if (percent) {
      return String.format(Locale.ROOT, "%.0f %%", v);
    }
    boolean tenth = Math.abs(v * 10 - Math.rint(v * 10)) < 1e-9;
    return String.format(Locale.ROOT, tenth ? "%.1f" : "%.2f", v);
  }
}
