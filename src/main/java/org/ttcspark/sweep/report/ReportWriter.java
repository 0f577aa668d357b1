package org.ttcspark.sweep.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.sweep.ResultsTable;
import org.ttcspark.sweep.TrainingLog;
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
      + "align-items:flex-start}.path{color:#777;font-size:12px}section{margin-bottom:28px}"
      + ".collapsed{color:#a00;font-weight:bold}.verdict{max-width:60em;line-height:1.4}";

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
      Map<String, Verdict.DatasetInfo> info = new LinkedHashMap<>();
      List<RunReport> runs = complete(rows, info, conf);
      StringBuilder sb = new StringBuilder(SweepReport.html(rows, info));
      runs.forEach(r -> sb.append(r.html()));
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

  /**
   * The verdict paragraphs of a sweep folder (one per dataset and ratio), as the report shows
   * them; for the console at the end of a sweep.
   */
  public static List<String> verdicts(Path sweepFolder, Configuration conf) throws IOException {
    List<Map<String, String>> rows = ResultsTable.parseCsv(
        HadoopFiles.readString(new Path(sweepFolder, "results.csv"), conf));
    Map<String, Verdict.DatasetInfo> info = new LinkedHashMap<>();
    complete(rows, info, conf);
    return Verdict.paragraphs(rows, info);
  }

  /**
   * Reads the run folders of {@code rows}: fills {@code info} per dataset from the first run's
   * configuration, and the collapse cells of every row from the run's metrics.jsonl.
   *
   * @return the runs whose folder exists, in row order
   */
  private static List<RunReport> complete(List<Map<String, String>> rows,
      Map<String, Verdict.DatasetInfo> info, Configuration conf) throws IOException {
    List<RunReport> runs = new ArrayList<>();
    for (Map<String, String> row : rows) {
      String runFolder = row.get("run_folder");
      if (runFolder == null || runFolder.isEmpty()) {
        continue;
      }
      Path folder = new Path(runFolder);
      if (!folder.getFileSystem(conf).exists(folder)) {
        continue;
      }
      RunReport run = readRun(folder, conf);
      runs.add(run);
      info.putIfAbsent(row.get("dataset"), datasetInfo(folder, conf));
      if ("ok".equals(row.get("status")) && run.training().watched()) {
        // the log decides: tables written by earlier versions counted any firing, also the
        // first iterations of an untrained encoder, as a collapse
        run.training().columns().forEach((k, v) -> {
          if (k.startsWith("collapse")) {
            row.put(k, v == null ? "" : v.toString());
          }
        });
      }
    }
    return runs;
  }

  /** The minority class and sub-type count of a run, from its resolved config.conf. */
  static Verdict.DatasetInfo datasetInfo(Path run, Configuration conf) throws IOException {
    Config c = runConfig(run, conf);
    int minority = c.hasPath("loss.minority-class") ? c.getInt("loss.minority-class") : -1;
    return new Verdict.DatasetInfo(minority, subtypes(c));
  }

  /**
   * Sub-types per class for the chance level of the sub-type k-NN: the synthetic source's
   * largest count, or for Fashion-MNIST the number of original classes grouped into the
   * majority label (the classes are equally large, so a nearest neighbour of the same sub-type
   * by chance is one in that many); 0 when the dataset carries no sub-types.
   */
  static int subtypes(Config c) {
    String source = c.hasPath("dataset.source") ? c.getString("dataset.source") : "";
    if ("synthetic".equals(source) && c.hasPath("dataset.synthetic.subtypes")) {
      return c.getIntList("dataset.synthetic.subtypes").stream().mapToInt(Integer::intValue)
          .max().orElse(0);
    }
    if ("fashion-mnist".equals(source) && c.hasPath("dataset.fashion-mnist.groups")
        && c.hasPath("loss.minority-class")) {
      List<? extends List<?>> groups = c.getAnyRefList("dataset.fashion-mnist.groups").stream()
          .map(g -> (List<?>) g).toList();
      int majority = 1 - c.getInt("loss.minority-class");
      return majority >= 0 && majority < groups.size() ? groups.get(majority).size() : 0;
    }
    return 0;
  }

  private static Config runConfig(Path run, Configuration conf) throws IOException {
    Path configFile = new Path(run, "config.conf");
    return configFile.getFileSystem(conf).exists(configFile)
        ? ConfigFactory.parseString(HadoopFiles.readString(configFile, conf))
        : ConfigFactory.empty();
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
    Config c = runConfig(folder, conf);
    for (String key : List.of("loss.method", "dataset.source", "dataset.ratios", "run.seed",
        "model.backbone", "train.epochs", "train.batch-size", "engine.type")) {
      if (c.hasPath(key)) {
        settings.put(key, c.getValue(key).render(
            com.typesafe.config.ConfigRenderOptions.concise()));
      }
    }
    TrainingLog training = TrainingLog.of(MetricsLogFile.read(MetricsLogFile.in(folder), conf));
    Path png = new Path(folder, "metrics.png");
    byte[] image = null;
    if (fs.exists(png)) {
      try (var in = fs.open(png)) {
        image = in.readAllBytes();
      }
    }
    return new RunReport(folder.getName(), folder.toString(), settings,
        training, subtypes(c), json(folder, "probe.json", conf),
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
