package org.ttcspark.sweep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.HadoopFiles;

/**
 * The results of a sweep, one row per run, written as CSV and Markdown (and Parquet by the
 * runner, which has the Spark session). Every write replaces the whole file atomically, so a
 * sweep killed while writing leaves the previous complete table.
 */
public final class ResultsTable {
  /** Columns every row has, first and in this order. */
  public static final List<String> KEY_COLUMNS = List.of("dataset", "ratio", "method", "seed",
      "hash", "status", "wall_seconds", "run_folder");

  private ResultsTable() {}

  /** Every column of the rows: the key columns, then the others in order of appearance. */
  public static List<String> columns(List<Map<String, Object>> rows) {
    Set<String> cols = new LinkedHashSet<>(KEY_COLUMNS);
    for (Map<String, Object> row : rows) {
      cols.addAll(row.keySet());
    }
    return new ArrayList<>(cols);
  }

  /** RFC 4180 CSV with a header line. */
  public static String csv(List<Map<String, Object>> rows) {
    List<String> cols = columns(rows);
    StringBuilder sb = new StringBuilder(String.join(",", cols)).append('\n');
    for (Map<String, Object> row : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : cols) {
        cells.add(csvCell(text(row.get(c))));
      }
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  /** A GitHub-flavoured Markdown table. */
  public static String markdown(List<Map<String, Object>> rows) {
    List<String> cols = columns(rows);
    StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", cols)).append(" |\n|");
    cols.forEach(c -> sb.append("---|"));
    sb.append('\n');
    for (Map<String, Object> row : rows) {
      sb.append("| ");
      for (String c : cols) {
        sb.append(text(row.get(c)).replace("|", "\\|").replace("\n", " ")).append(" | ");
      }
      sb.setLength(sb.length() - 1);
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Writes {@code results.csv} and {@code results.md} into {@code dir}, each atomically. */
  public static void write(Path dir, Configuration conf, List<Map<String, Object>> rows)
      throws IOException {
    HadoopFiles.writeString(new Path(dir, "results.csv"), conf, csv(rows));
    HadoopFiles.writeString(new Path(dir, "results.md"), conf, markdown(rows));
  }

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.4f", d);
    }
    return value.toString();
  }

  private static String csvCell(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
