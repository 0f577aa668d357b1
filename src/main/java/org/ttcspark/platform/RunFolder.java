package org.ttcspark.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The folder {@code <run.dir>/<run name>/} of one command's run, with the provenance written
 * first: the fully resolved configuration ({@code config.conf}, loadable with {@code -c} to
 * repeat the run) and {@code provenance.json} (command, seed, start time, git commit if known,
 * Java, Spark, Scala and BigDL versions, OS and architecture).
 */
public final class RunFolder {
  /** File names inside a run folder. */
  public static final String CONFIG = "config.conf";
  public static final String PROVENANCE = "provenance.json";

  private final Path path;
  private final Configuration hadoop;

  private RunFolder(Path path, Configuration hadoop) {
    this.path = path;
    this.hadoop = hadoop;
  }

  /** Creates (or reopens) the run folder for {@code command} and writes its provenance. */
  public static RunFolder create(String command, Config resolved, Configuration hadoop)
      throws IOException {
    RunConfig run = RunConfig.from(resolved);
    Path path = new Path(run.dir(), run.nameFor(command));
    path.getFileSystem(hadoop).mkdirs(path);
    RunFolder folder = new RunFolder(path, hadoop);
    HadoopFiles.writeString(folder.file(CONFIG), hadoop, render(resolved));
    HadoopFiles.writeString(folder.file(PROVENANCE), hadoop,
        Json.write(provenance(command, run.seed())));
    return folder;
  }

  /** The folder itself. */
  public Path path() {
    return path;
  }

  /** A file or sub-folder of the run. */
  public Path file(String name) {
    return new Path(path, name);
  }

  public Configuration hadoop() {
    return hadoop;
  }

  /** The resolved configuration as HOCON, with the origin of every value as a comment. */
  public static String render(Config resolved) {
    return resolved.root().render(ConfigRenderOptions.defaults().setJson(false).setOriginComments(true));
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
