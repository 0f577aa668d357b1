package org.ttcspark.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunFolder;

/**
 * Runs a planned sweep in order, resumably. A run is finished when its folder holds
 * {@value #DONE}, written last and atomically with the run's results; such a run is skipped and
 * its row read back. Any other run folder is the remains of a crash and is cleared before the
 * run is redone. A failed run is recorded as failed and the sweep goes on; the results table is
 * rewritten after every run. A run finished by an earlier version, whose folder carries another
 * fingerprint only because settings were added since, is reused rather than trained again.
 */
public final class SweepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SweepRunner.class);

  /** The marker of a finished run, holding its row of the results table. */
  public static final String DONE = "result.json";
  /** Where a redone stage's earlier outputs go inside the run folder. */
  public static final String SUPERSEDED = "superseded";
  /** The stages {@code --redo} may run again: they read the trained encoder, never change it. */
  public static final Set<Stage> REDOABLE = Set.of(Stage.EMBED, Stage.PROBE, Stage.FINETUNE,
      Stage.METRICS);
  /** The fingerprint at the end of a run folder's name ({@link ConfigHash}). */
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{12}");
  /** The setting a run's training records its prepared dataset's folder in. */
  private static final String PREPARED = "dataset.prepared";
  private static final java.time.format.DateTimeFormatter STAMP =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /** Writes the table somewhere besides CSV and Markdown (Parquet, by the caller). */
  @FunctionalInterface
  public interface TableSink {
    void write(List<Map<String, Object>> rows) throws IOException;
  }

  private final StageRunner stages;
  private final Configuration hadoop;
  private final PrintStream console;
  private Config reference;

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
    return run(runs, stageList, sweepDir, extraSink, Set.of());
  }

  /**
   * Runs every unfinished run and, in finished runs, the evaluation stages in {@code redo}
   * again (their earlier outputs moved to {@code superseded/<time>/} inside the run; training
   * is never redone), then writes the table into {@code sweepDir}.
   *
   * @return the rows, one per planned run, in plan order
   */
  public List<Map<String, Object>> run(List<PlannedRun> runs, List<Stage> stageList,
      Path sweepDir, TableSink extraSink, Set<Stage> redo) throws IOException {
    for (Stage stage : redo) {
      if (!REDOABLE.contains(stage) || !stageList.contains(stage)) {
        throw new IllegalArgumentException("--redo " + stage.word() + ": only evaluation "
            + "stages of sweep.stages " + stageList.stream().filter(REDOABLE::contains)
                .map(Stage::word).toList() + " can be redone; to retrain a run, delete its "
            + "folder and start the sweep again");
      }
    }
    validate(runs, stageList);
    List<Map<String, Object>> rows = new ArrayList<>();
    int index = 0;
    for (PlannedRun run : runs) {
      index++;
      Path folder = new Path(run.runFolder());
      Map<String, Object> finished = readDone(folder);
      if (finished == null) {
        PlannedRun earlier = finishedByEarlierVersion(run);
        if (earlier != null) {
          console.printf("[%d/%d] %s: finished earlier as %s (settings added since are at "
              + "their defaults), reused%n", index, runs.size(), run.label(),
              new Path(earlier.runFolder()).getName());
          run = earlier;
          folder = new Path(run.runFolder());
          finished = readDone(folder);
        }
      }
      if (finished != null && !redo.isEmpty()) {
        console.printf("[%d/%d] %s: finished earlier, redoing %s%n", index, runs.size(),
            run.label(), redo.stream().map(Stage::word).sorted().toList());
        rows.add(redo(run, stageList, folder, finished, redo));
        writeTable(sweepDir, rows, extraSink);
        continue;
      }
      if (finished != null) {
        console.printf("[%d/%d] %s: finished earlier, skipped%n", index, runs.size(), run.label());
        rows.add(stages.refresh(run, finished));
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

  /**
   * Redoes the given stages of a finished run in stage order. The stages' earlier outputs are
   * moved aside first and moved back if a stage fails, so the run stays finished with its old
   * values and nothing is lost; {@code result.json} is replaced only when every stage passed.
   */
  private Map<String, Object> redo(PlannedRun run, List<Stage> stageList, Path folder,
      Map<String, Object> finished, Set<Stage> redo) throws IOException {
    FileSystem fs = folder.getFileSystem(hadoop);
    Path aside = new Path(folder, SUPERSEDED + "/"
        + java.time.LocalDateTime.now().format(STAMP));
    Map<Path, Path> moved = new LinkedHashMap<>();
    Map<String, Object> row = new LinkedHashMap<>(finished);
    try {
      for (Stage stage : stageList) {
        if (!redo.contains(stage)) {
          continue;
        }
        for (String name : stages.outputs(run, stage)) {
          Path output = new Path(folder, name);
          if (fs.exists(output)) {
            Path target = new Path(aside, name);
            fs.mkdirs(target.getParent());
            if (!fs.rename(output, target)) {
              throw new IOException("could not move " + output + " to " + target);
            }
            moved.put(output, target);
          }
        }
        row.putAll(stages.run(run, stage));
      }
    } catch (Exception e) {
      LOG.error("redoing {} of sweep run {} failed", redo, run.label(), e);
      console.printf("    redo failed, earlier results kept: %s%n", e.getMessage());
      for (Map.Entry<Path, Path> m : moved.entrySet()) {
        fs.delete(m.getKey(), true);
        fs.rename(m.getValue(), m.getKey());
      }
      Map<String, Object> failed = new LinkedHashMap<>(finished);
      failed.put("status", "failed: redo " + redo.stream().map(Stage::word).sorted().toList()
          + ": " + e.getMessage() + " (earlier results kept)");
      return failed;
    }
    HadoopFiles.writeString(new Path(folder, DONE), hadoop, Json.write(row));
    return stages.refresh(run, row);
  }

  /**
   * The folder name of the run's finished result: its own folder's, or that of a run finished
   * by an earlier version that the sweep would reuse; null when the sweep would train it.
   */
  public String finishedFolder(PlannedRun run) throws IOException {
    Path own = new Path(run.runFolder());
    if (own.getFileSystem(hadoop).exists(new Path(own, DONE))) {
      return own.getName();
    }
    PlannedRun earlier = finishedByEarlierVersion(run);
    return earlier == null ? null : new Path(earlier.runFolder()).getName();
  }

  /**
   * A finished run of the same dataset, ratio, method and seed whose folder carries another
   * fingerprint only because a later version added settings, which the plan has at their
   * defaults ({@link ConfigHash#unexplainedDifferences}); null when there is none. Finished
   * runs that differ in a setting are named with their first differences and left alone.
   *
   * @return the run relocated to that folder and to the prepared dataset it trained on
   */
  private PlannedRun finishedByEarlierVersion(PlannedRun run) throws IOException {
    Path planned = new Path(run.runFolder());
    Path parent = planned.getParent();
    FileSystem fs = parent.getFileSystem(hadoop);
    if (!fs.exists(parent)) {
      return null;
    }
    String prefix = planned.getName().substring(0,
        planned.getName().length() - run.hash().length());
    Config recorded = null;
    for (FileStatus candidate : fs.listStatus(parent)) {
      String name = candidate.getPath().getName();
      if (!candidate.isDirectory() || !name.startsWith(prefix)
          || !FINGERPRINT.matcher(name.substring(prefix.length())).matches()) {
        continue;
      }
      Path config = new Path(candidate.getPath(), RunFolder.CONFIG);
      if (!fs.exists(new Path(candidate.getPath(), DONE)) || !fs.exists(config)) {
        continue;
      }
      if (recorded == null) {
        recorded = stages.recordedConfig(run);
      }
      Config stored = ConfigFactory.parseString(HadoopFiles.readString(config, hadoop));
      List<String> differences = ConfigHash.unexplainedDifferences(stored, recorded,
          reference(), ConfigLoader.retiredKeys());
      if (!differences.isEmpty()) {
        console.printf("    %s finished with other settings, not reused: %s%s%n", name,
            String.join("; ", differences.subList(0, Math.min(3, differences.size()))),
            differences.size() > 3 ? "; and " + (differences.size() - 3) + " more" : "");
        continue;
      }
      String folder = run.runFolder().substring(0,
          run.runFolder().length() - planned.getName().length()) + name;
      Config located = ConfigFactory.empty()
          .withValue("run.name", ConfigValueFactory.fromAnyRef(name, "finished run " + folder))
          .withFallback(run.config());
      String dataset = stored.hasPath(PREPARED) ? stored.getString(PREPARED)
          : run.datasetFolder();
      return new PlannedRun(run.dataset(), run.ratio(), run.method(), run.seed(), located,
          name.substring(prefix.length()), folder, dataset);
    }
    return null;
  }

  private Config reference() {
    if (reference == null) {
      reference = ConfigLoader.reference();
    }
    return reference;
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
