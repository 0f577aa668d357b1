package org.ttcspark.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;

/**
 * Runs a planned sweep in order, resumably. A run is finished when its folder holds
 * {@value #DONE}, written last and atomically with the run's results; such a run is skipped and
 * its row read back. Any other run folder is the remains of a crash and is cleared before the
 * run is redone. A failed run is recorded as failed and the sweep goes on; the results table is
 * rewritten after every run.
 */
public final class SweepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

  /** The marker of a finished run, holding its row of the results table. */
  public static final String DONE = "result.json";

  /** Writes the table somewhere besides CSV and Markdown (Parquet, by the caller). */
  @FunctionalInterface
  public interface TableSink {
    void write(List<Map<String, Object>> rows) throws IOException;
  }

  private final StageRunner stages;
  private final Configuration hadoop;
  private final PrintStream console;

  public SweepRunner(StageRunner stages, Configuration hadoop, PrintStream console) {
    this.stages = stages;
    this.hadoop = hadoop;
    this.console = console;
  }

  /** Validates every run's every stage, then nothing else: the plan is sound. */
  public void validate(List<PlannedRun> runs, List<Stage> stageList) {
    for (PlannedRun run : runs) {
      for (Stage stage : stageList) {
        stages.validate(run, stage);
      }
    }
  }

  /**
   * Runs every unfinished run and writes the table into {@code sweepDir}.
   *
   * @return the rows, one per planned run, in plan order
   */
  public List<Map<String, Object>> run(List<PlannedRun> runs, List<Stage> stageList,
      Path sweepDir, TableSink extraSink) throws IOException {
    validate(runs, stageList);
    List<Map<String, Object>> rows = new ArrayList<>();
    int index = 0;
    for (PlannedRun run : runs) {
      index++;
      Path folder = new Path(run.runFolder());
      Map<String, Object> finished = readDone(folder);
      if (finished != null) {
        console.printf("[%d/%d] %s: finished earlier, skipped%n", index, runs.size(), run.label());
        rows.add(finished);
        continue;
      }
      console.printf("[%d/%d] %s%n", index, runs.size(), run.label());
      rows.add(runOne(run, stageList, folder));
      writeTable(sweepDir, rows, extraSink);
    }
    writeTable(sweepDir, rows, extraSink);
    return rows;
  }

  private Map<String, Object> runOne(PlannedRun run, List<Stage> stageList, Path folder)
      throws IOException {
    FileSystem fs = folder.getFileSystem(hadoop);
    if (fs.exists(folder)) {
      LOG.info("clearing the unfinished run folder {}", folder);
      fs.delete(folder, true);
    }
    Map<String, Object> row = keyColumns(run);
    long start = System.nanoTime();
    try {
      for (Stage stage : stageList) {
        if (stage == Stage.PREPARE && prepared(run)) {
          continue;
        }
        row.putAll(stages.run(run, stage));
      }
      row.put("status", "ok");
    } catch (Exception e) {
      LOG.error("sweep run {} failed", run.label(), e);
      console.printf("    failed: %s%n", e.getMessage());
      row.put("status", "failed: " + e.getMessage());
    }
    row.put("wall_seconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
    if ("ok".equals(row.get("status"))) {
      HadoopFiles.writeString(new Path(folder, DONE), hadoop, Json.write(row));
    }
    return row;
  }

  private boolean prepared(PlannedRun run) throws IOException {
    Path manifest = new Path(run.datasetFolder(), "manifest.json");
    return manifest.getFileSystem(hadoop).exists(manifest);
  }

  private Map<String, Object> readDone(Path folder) throws IOException {
    Path done = new Path(folder, DONE);
    if (!done.getFileSystem(hadoop).exists(done)) {
      return null;
    }
    return Json.MAPPER.readValue(HadoopFiles.readString(done, hadoop),
        new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  private void writeTable(Path sweepDir, List<Map<String, Object>> rows, TableSink extraSink)
      throws IOException {
    ResultsTable.write(sweepDir, hadoop, rows);
    if (extraSink != null) {
      extraSink.write(rows);
    }
  }

  static Map<String, Object> keyColumns(PlannedRun run) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("dataset", run.dataset());
    row.put("ratio", run.ratio());
    row.put("method", run.method());
    row.put("seed", run.seed());
    row.put("hash", run.hash());
    row.put("status", "running");
    row.put("wall_seconds", 0.0);
    row.put("run_folder", run.runFolder());
    return row;
  }
}
