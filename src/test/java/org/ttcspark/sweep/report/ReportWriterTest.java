package org.ttcspark.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.sweep.ResultsTable;

class ReportWriterTest {
  @TempDir
  Path dir;

  private Path run(String name, String method) throws IOException {
    Path run = Files.createDirectories(dir.resolve("runs").resolve(name));
    Files.writeString(run.resolve("config.conf"), "loss.method = " + method
        + "\ndataset.ratios = [0.01, 0.99]\nrun.seed = 1\n");
    Files.writeString(run.resolve("metrics.jsonl"),
        "{\"iteration\":1,\"loss\":5.0}\n{\"iteration\":2,\"loss\":4.0}\n");
    Files.writeString(run.resolve("probe.json"), "{\"test\":{\"accuracy\":0.9,"
        + "\"balanced_accuracy\":0.8,\"auroc\":0.95,\"minority_f1\":0.5,\"macro_f1\":0.7}}");
    Files.writeString(run.resolve("metrics.json"), "{\"n\":10,\"saa\":{\"0\":50.0,\"1\":null},"
        + "\"cac\":{\"0\":90.0,\"1\":10.0}}");
    ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png",
        run.resolve("metrics.png").toFile());
    return run;
  }

  @Test
  void subTypeChanceComesFromTheSyntheticCountsOrTheMajoritysFashionGroup() {
    assertEquals(4, ReportWriter.subtypes(com.typesafe.config.ConfigFactory.parseString(
        "dataset { source = synthetic, synthetic.subtypes = [2, 4] }")));
    // tops (four classes) are the majority when footwear (label 1) is the minority
    String fashion = "dataset { source = fashion-mnist, fashion-mnist.groups = "
        + "[[0, 2, 4, 6], [5, 7, 9]] }\nloss.minority-class = ";
    assertEquals(4, ReportWriter.subtypes(com.typesafe.config.ConfigFactory.parseString(
        fashion + "1")));
    assertEquals(3, ReportWriter.subtypes(com.typesafe.config.ConfigFactory.parseString(
        fashion + "0")));
    assertEquals(0, ReportWriter.subtypes(com.typesafe.config.ConfigFactory.parseString(
        "dataset.source = medmnist")));
  }

  @Test
  void runReportHasTheLossCurveTablesAndTheEmbeddedPlot() throws IOException {
    Path run = run("r1", "supmin");
    ReportWriter.write(new org.apache.hadoop.fs.Path(run.toUri()), new Configuration());
    String html = Files.readString(run.resolve("report.html"));
    assertTrue(html.contains("<svg") && html.contains("training loss"), "loss chart");
    assertTrue(html.contains("data:image/png;base64,"), "plot embedded, not linked");
    assertTrue(html.contains("<td>0.8000</td>"), "balanced accuracy");
    assertTrue(html.contains("<td>50.0000</td><td>–</td>"), "null shows as a dash");
    assertTrue(html.contains("supmin"));
    assertFalse(html.contains("http://") && html.contains("<script"), "nothing fetched");
  }

  @Test
  void issue14_reportSkipsATornLastLineOfTheLog() throws IOException {
    Path run = run("torn", "supmin");
    Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\":3,\"lo",
        java.nio.file.StandardOpenOption.APPEND);
    RunReport r = ReportWriter.readRun(new org.apache.hadoop.fs.Path(run.toUri()),
        new Configuration());
    assertEquals(2, r.training().loss().size());
  }

  @Test
  void issue14_reportOnADamagedLogNamesFileAndLine() throws IOException {
    Path run = run("damaged", "supmin");
    Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\":1,\"loss\":5.0}\n"
        + "{\"iteration\":2,\"lo{\"iteration\":2,\"loss\":4.0}\n{\"iteration\":3,\"loss\":3.0}\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReportWriter.write(
        new org.apache.hadoop.fs.Path(run.toUri()), new Configuration()));
    assertTrue(e.getMessage().contains("metrics.jsonl:2: not a JSON object"), e.getMessage());
  }

  @Test
  void issue14_reportOnADamagedProbeJsonNamesTheFile() throws IOException {
    Path run = run("damaged-probe", "supmin");
    Files.writeString(run.resolve("probe.json"), "{\"test\":{\"accura");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ReportWriter.write(
        new org.apache.hadoop.fs.Path(run.toUri()), new Configuration()));
    assertTrue(e.getMessage().contains("probe.json is not valid JSON"), e.getMessage());
  }

  @Test
  void sweepReportChartsEveryMethodAndEscapesNamesFromData() throws IOException {
    Path a = run("a", "supcon");
    Path b = run("b", "supmin");
    String evil = "<script>alert('x')</script>";
    Map<String, Object> rowA = new java.util.LinkedHashMap<>(Map.of("dataset", evil,
        "ratio", 0.01, "method", "supcon", "seed", 1, "status", "ok", "run_folder", a.toString(),
        "probe_balanced_accuracy", 0.6));
    Map<String, Object> rowB = new java.util.LinkedHashMap<>(Map.of("dataset", evil,
        "ratio", 0.05, "method", "supmin", "seed", 1, "status", "ok", "run_folder", b.toString(),
        "probe_balanced_accuracy", 0.7));
    Path sweep = dir.resolve("runs");
    ResultsTable.write(new org.apache.hadoop.fs.Path(sweep.toUri()), new Configuration(),
        List.of(rowA, rowB));
    ReportWriter.write(new org.apache.hadoop.fs.Path(sweep.toUri()), new Configuration());
    String html = Files.readString(sweep.resolve("report.html"));
    assertFalse(html.contains("<script>"), "data cannot inject markup");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assertTrue(html.contains("probe balanced accuracy"));
    assertTrue(html.contains(">supcon</text>") && html.contains(">supmin</text>"), "legend");
    assertEquals(3, html.split("<section").length - 1, "one dataset section and two runs");
  }

  @Test
  void sweepReportDrawsChanceAndFixedAxesMarksCollapseAndStatesTheVerdict()
      throws IOException {
    Path a = run("a", "supcon");
    Files.writeString(a.resolve("config.conf"), "loss.method = supcon\nloss.minority-class = 0\n"
        + "dataset.source = synthetic\ndataset.synthetic.subtypes = [4, 4]\n");
    Files.writeString(a.resolve("metrics.jsonl"), "{\"iteration\":1,\"epoch\":1,\"loss\":5.54,"
        + "\"lr\":0.1,\"collapsed_loss\":5.5413,\"batch_mean_cosine\":0.9999}\n"
        + "{\"event\":\"collapse\",\"epoch\":1,\"iteration\":1,\"loss\":5.54,"
        + "\"collapsed_loss\":5.5413,\"batch_mean_cosine\":0.9999}\n"
        + "{\"event\":\"online_eval\",\"epoch\":1,\"iteration\":1,\"knn_auroc\":0.51,"
        + "\"majority_subtype_knn_accuracy\":0.26}\n");
    Path b = run("b", "supmin");
    Map<String, Object> rowA = new java.util.LinkedHashMap<>(Map.of("dataset", "synthetic",
        "ratio", 0.01, "method", "supcon", "seed", 1, "status", "ok", "run_folder", a.toString(),
        "probe_auroc", 0.503, "subtype_knn_1", 26.0));
    Map<String, Object> rowB = new java.util.LinkedHashMap<>(Map.of("dataset", "synthetic",
        "ratio", 0.01, "method", "supmin", "seed", 1, "status", "ok", "run_folder", b.toString(),
        "probe_auroc", 0.511, "subtype_knn_1", 60.0));
    Path sweep = dir.resolve("runs");
    org.apache.hadoop.fs.Path sweepPath = new org.apache.hadoop.fs.Path(sweep.toUri());
    ResultsTable.write(sweepPath, new Configuration(), List.of(rowA, rowB));
    ReportWriter.write(sweepPath, new Configuration());
    String html = Files.readString(sweep.resolve("report.html"));
    assertTrue(html.contains("class=\"chance\"") && html.contains(">chance 0.500</text>"),
        "chance drawn");
    assertTrue(html.contains(">chance 25.0 %</text>"), "sub-type chance from the run's config");
    assertTrue(html.contains(">0.0</text>") && html.contains(">1.0</text>")
        && html.contains(">100 %</text>"), "fixed axes");
    assertTrue(html.contains("<p class=\"verdict\">synthetic, 1 % minority"), "verdict");
    assertTrue(html.contains("Collapsed (loss at the value of a collapsed batch in the last epoch): supcon 1 of 1"),
        "collapse read from metrics.jsonl when the table has no column");
    assertTrue(html.contains("<p class=\"collapsed\">Collapsed: the detector fired in epoch 1, last"),
        "the run is marked");
    assertTrue(html.contains(">collapsed 5.541</text>"), "loss chart shows the collapsed value");
    assertTrue(html.contains("learning rate") && html.contains("online k-NN (val)")
        && html.contains("online sub-type k-NN (val)"), "curves");
    List<String> verdicts = ReportWriter.verdicts(sweepPath, new Configuration());
    assertEquals(1, verdicts.size());
    assertTrue(verdicts.get(0).contains("Majority sub-type k-NN class 1 (chance 25.0 %): "
        + "supmin 60.0 %, supcon 26.0 %"), verdicts.get(0));
  }

  /**
   * A row whose fine-tuning head diverged has its finetune numbers marked in the table, is
   * named under it and in the verdict; the other row's numbers are not marked.
   */
  @Test
  void sweepReportMarksARowWhoseFinetuneDiverged() throws IOException {
    Path a = run("a", "bcl");
    Path b = run("b", "supmin");
    Map<String, Object> rowA = new java.util.LinkedHashMap<>(Map.of("dataset", "synthetic",
        "ratio", 0.05, "method", "bcl", "seed", 7, "status", "ok", "run_folder", a.toString(),
        "probe_auroc", 0.9, "finetune_auroc", 0.123, "finetune_diverged", true));
    Map<String, Object> rowB = new java.util.LinkedHashMap<>(Map.of("dataset", "synthetic",
        "ratio", 0.05, "method", "supmin", "seed", 7, "status", "ok", "run_folder", b.toString(),
        "probe_auroc", 0.8, "finetune_auroc", 0.456, "finetune_diverged", false));
    Path sweep = dir.resolve("runs");
    org.apache.hadoop.fs.Path sweepPath = new org.apache.hadoop.fs.Path(sweep.toUri());
    ResultsTable.write(sweepPath, new Configuration(), List.of(rowA, rowB));
    ReportWriter.write(sweepPath, new Configuration());
    String html = Files.readString(sweep.resolve("report.html"));
    String table = html.substring(html.indexOf("<table class=\"results\">"));
    assertTrue(table.contains("<td class=\"collapsed\">0.1230 \u2020</td>")
        || table.contains("<td class=\"collapsed\">0.123 \u2020</td>"), table);
    assertTrue(table.contains("<td class=\"collapsed\">true \u2020</td>"), table);
    assertFalse(table.contains("0.456 \u2020") || table.contains("0.4560 \u2020"),
        "the finetune that did not diverge is not marked");
    assertTrue(table.contains("<p class=\"collapsed\">\u2020 Fine-tuning head diverged")
        && table.contains("in 1 of 2 runs: synthetic 0.05"), table);
    assertTrue(table.contains(" bcl seed 7. Their finetune scores say nothing"), table);
    assertTrue(html.contains("Fine-tuning head diverged (its finetune scores say nothing about "
        + "the encoder): bcl 1 of 1 (seed 7)."), "verdict");
  }

  @Test
  void aFolderWithoutRunOrSweepFilesIsAClearError() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ReportWriter.write(new org.apache.hadoop.fs.Path(empty.toUri()),
            new Configuration()));
    assertTrue(e.getMessage().contains("neither results.csv"), e.getMessage());
  }

  @Test
  void csvWrittenByTheTableParsesBack() {
    Map<String, Object> row = new java.util.LinkedHashMap<>();
    row.put("dataset", "a,\"b\"\nc");
    row.put("ratio", 0.5);
    List<Map<String, String>> back = ResultsTable.parseCsv(ResultsTable.csv(List.of(row)));
    assertEquals("a,\"b\"\nc", back.get(0).get("dataset"));
    assertEquals("0.5000", back.get(0).get("ratio"));
  }
}
