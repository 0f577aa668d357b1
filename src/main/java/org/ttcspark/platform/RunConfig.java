package org.ttcspark.platform;

import com.typesafe.config.Config;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code run} section: where a command writes and the master seed.
 *
 * @param dir parent folder of run folders (a Hadoop path)
 * @param name run name; empty means {@code <command>-<timestamp>}
 * @param seed master seed of every random choice in the run
 * @param workDir scratch folder (a Hadoop path)
 * @param overwrite whether pretrain/train-ce may replace a run folder that holds a run
 */
public record RunConfig(String dir, String name, long seed, String workDir, boolean overwrite) {

  /** A run section that never replaces a run folder. */
  public RunConfig(String dir, String name, long seed, String workDir) {
    this(dir, name, seed, workDir, false);
  }

  public static RunConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    RunConfig rc = new RunConfig(r.string("run.dir"), r.string("run.name"),
        r.longIn("run.seed", Long.MIN_VALUE, Long.MAX_VALUE), r.string("run.work-dir"),
        r.bool("run.overwrite"));
    r.require(!rc.dir.isBlank(), "run.dir", "must not be empty");
    r.done();
    return rc;
  }

  /** The run name to use for {@code command}: the configured one or a timestamped default. */
  public String nameFor(String command) {
    if (!name.isBlank()) {
      return name;
    }
    return command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }
}
