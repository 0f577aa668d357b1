package org.ttcspark.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The folder {@code <run.dir>/<run name>/} of a run. Its training record is the fully resolved
 * configuration ({@code config.conf}, loadable with {@code -c} to repeat the run) and
 * {@code provenance.json} (command, seed, start time, git commit if known, Java, Spark, Scala
 * and BigDL versions, OS and architecture), written once, when the training starts. Every other
 * command that works on the run records its own configuration and provenance in
 * {@code stages/<stage>/}, so that evaluating a run never rewrites how it was trained.
 *
 * <p>A training run's folder is made in two steps: {@link #starting}/{@link #resuming} decide
 * where the record goes, and {@link #open} writes it once every check has passed, so a refused
 * command leaves nothing behind.
 */
public final class RunFolder {
  /** File names inside a run folder. */
  public static final String CONFIG = "config.conf";
  public static final String PROVENANCE = "provenance.json";
  /** The sub-folder of the stages' own records: {@code stages/<stage>/}. */
  public static final String STAGES = "stages";

  private final Path path;
  private final Configuration hadoop;
  private Opening opening;

  /** What {@link #open} does the first time it is called. */
  @FunctionalInterface
  private interface Opening {
    void open(RunFolder folder) throws IOException;
  }

  private RunFolder(Path path, Configuration hadoop, Opening opening) {
    this.path = path;
    this.hadoop = hadoop;
    this.opening = opening;
  }

  /**
   * Creates (or reopens) the run folder for {@code command} and writes its training record
   * at once, whatever the folder holds; the commands decide first with {@link #starting}.
   */
  public static RunFolder create(String command, Config resolved, Configuration hadoop)
      throws IOException {
    RunFolder folder = starting(command, resolved, pathFor(command, resolved), false, hadoop);
    folder.open();
    return folder;
  }

  /** Where {@code command}'s run folder is: {@code run.dir/run.name} or a timestamped name. */
  public static Path pathFor(String command, Config resolved) {
    RunConfig run = RunConfig.from(resolved);
    return new Path(run.dir(), run.nameFor(command));
  }

  /**
   * A training run that starts in {@code path}: {@link #open} writes the training record, after
   * deleting what the folder held when {@code replace} ({@code run.overwrite = true}).
   */
  public static RunFolder starting(String command, Config resolved, Path path, boolean replace,
      Configuration hadoop) {
    return new RunFolder(path, hadoop, f -> {
      FileSystem fs = path.getFileSystem(hadoop);
      if (replace && fs.exists(path)) {
        fs.delete(path, true);
      }
      fs.mkdirs(path);
      writeRecord(path, command, resolved, hadoop);
    });
  }

  /**
   * A training run resumed in {@code path}: {@link #open} records this invocation's
   * configuration and provenance as stage {@code stage} and leaves the training record alone.
   */
  public static RunFolder resuming(String command, Config resolved, Path path, String stage,
      Configuration hadoop) {
    return new RunFolder(path, hadoop,
        f -> writeRecord(f.stage(stage), command, resolved, hadoop));
  }

  /**
   * Records stage {@code stage} of the run in {@code path} ({@code stages/<stage>/config.conf}
   * and {@code provenance.json}, replacing that stage's earlier record) and returns the folder,
   * open. The training record is not touched.
   */
  public static RunFolder forStage(String stage, String command, Config resolved, Path path,
      Configuration hadoop) throws IOException {
    RunFolder folder = new RunFolder(path, hadoop,
        f -> writeRecord(f.stage(stage), command, resolved, hadoop));
    folder.open();
    return folder;
  }

  /** Writes what this folder was made to write, the first time only. */
  public void open() throws IOException {
    if (opening != null) {
      Opening o = opening;
      opening = null;
      o.open(this);
    }
  }

  /** The folder itself. */
  public Path path() {
    return path;
  }

  /** A file or sub-folder of the run. */
  public Path file(String name) {
    return new Path(path, name);
  }

  /** The folder of a stage's own record, {@code stages/<stage>}. */
  public Path stage(String stage) {
    return new Path(new Path(path, STAGES), stage);
  }

  public Configuration hadoop() {
    return hadoop;
  }

  /** The resolved configuration as HOCON, with the origin of every value as a comment. */
  public static String render(Config resolved) {
    return resolved.root().render(ConfigRenderOptions.defaults().setJson(false).setOriginComments(true));
  }

  private static void writeRecord(Path dir, String command, Config resolved,
      Configuration hadoop) throws IOException {
    dir.getFileSystem(hadoop).mkdirs(dir);
    HadoopFiles.writeString(new Path(dir, CONFIG), hadoop, render(resolved));
    HadoopFiles.writeString(new Path(dir, PROVENANCE), hadoop,
        Json.write(provenance(command, RunConfig.from(resolved).seed())));
  }

  static Map<String, Object> provenance(String command, long seed) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("command", command);
    p.put("seed", seed);
    p.put("started", Instant.now().toString());
    p.put("ttc_version", Versions.ttc());
    p.put("git_commit", Versions.gitCommit());
    p.put("java", System.getProperty("java.version") + " " + System.getProperty("java.vendor"));
    p.put("spark", Versions.spark());
    p.put("scala", Versions.scala());
    p.put("bigdl", Versions.bigdl());
    p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    return p;
  }
}
