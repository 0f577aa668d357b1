package org.ttcspark.sweep.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.sweep.ResultsTable;
import org.ttcspark.train.MetricsLogFile;

/**
 * Writes {@code report.html} into a run folder or a sweep folder (one with
 * {@code results.csv}): one self-contained file, plots inline, readable offline.
 */
public final class ReportWriter {
  /** The report's file name inside the folder. */
  public static final String REPORT = "report.html";

  private static final String STYLE = "body{font-family:sans-serif;margin:24px;color:#222}"
      + "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;"
      + "font-size:12px;text-align:left}.row{display:flex;flex-wrap:wrap;gap:12px;"
      + "align-items:flex-start}.path{color:#777;font-size:12px}section{margin-bottom:28px}";

  private ReportWriter() {}

  /** Writes the report of {@code folder} and returns its path. */
  public static Path write(Path folder, Configuration conf) throws IOException {
    FileSystem fs = folder.getFileSystem(conf);
    if (!fs.isDirectory(folder)) {
      throw new IllegalArgumentException(folder + " is not a folder; give a run folder "
          + "(runs/<name>) or a sweep folder (runs/<sweep name>)");
    }
    String body;
    String title;
    Path results = new Path(folder, "results.csv");
    if (fs.exists(results)) {
      List<Map<String, String>> rows = ResultsTable.parseCsv(HadoopFiles.readString(results, conf));
      StringBuilder sb = new StringBuilder(SweepReport.html(rows));
      for (Map<String, String> row : rows) {
        String runFolder = row.get("run_folder");
        if (runFolder != null && !runFolder.isEmpty() && fs.exists(new Path(runFolder))) {
          sb.append(readRun(new Path(runFolder), conf).html());
        }
      }
      body = sb.toString();
      title = "Sweep " + folder.getName();
    } else if (fs.exists(new Path(folder, "config.conf"))) {
      body = readRun(folder, conf).html();
      title = "Run " + folder.getName();
    } else {
      throw new IllegalArgumentException(folder + " holds neither results.csv (a sweep) nor "
          + "config.conf (a run); give the folder a sweep or a command wrote");
    }
    Path out = new Path(folder, REPORT);
    HadoopFiles.writeString(out, conf, page(title, body));
    return out;
  }

  static String page(String title, String body) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
        + "</title><style>" + STYLE + "</style></head><body><h1>" + Html.escape(title)
        + "</h1>" + body + "</body></html>\n";
  }

  /** Reads what the report shows of one run; missing files are left out. */
  public static RunReport readRun(Path folder, Configuration conf) throws IOException {
    FileSystem fs = folder.getFileSystem(conf);
    Map<String, String> settings = new LinkedHashMap<>();
    Path configFile = new Path(folder, "config.conf");
    if (fs.exists(configFile)) {
      Config c = ConfigFactory.parseString(HadoopFiles.readString(configFile, conf));
      for (String key : List.of("loss.method", "dataset.source", "dataset.ratios", "run.seed",
          "model.backbone", "train.epochs", "train.batch-size", "engine.type")) {
        if (c.hasPath(key)) {
          settings.put(key, c.getValue(key).render(
              com.typesafe.config.ConfigRenderOptions.concise()));
        }
      }
    }
    List<JsonNode> lines = MetricsLogFile.read(MetricsLogFile.in(folder), conf);
    Path png = new Path(folder, "metrics.png");
    byte[] image = null;
    if (fs.exists(png)) {
      try (var in = fs.open(png)) {
        image = in.readAllBytes();
      }
    }
    return new RunReport(folder.getName(), folder.toString(), settings,
        RunReport.lossCurve(lines), json(folder, "probe.json", conf),
        json(folder, "metrics.json", conf), image);
  }

  private static JsonNode json(Path folder, String name, Configuration conf) throws IOException {
    Path p = new Path(folder, name);
    if (!p.getFileSystem(conf).exists(p)) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(HadoopFiles.readString(p, conf));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(p + " is not valid JSON (line "
          + e.getLocation().getLineNr() + "); it is damaged: delete it and run the stage that "
          + "writes it again");
    }
  }
}
