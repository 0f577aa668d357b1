package org.ttcspark.sweep;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Runs one stage of one sweep run. The command line supplies it (it knows the commands); the
 * sweep only decides what runs when.
 */
public interface StageRunner {
  /**
   * Checks that the stage would accept the run's configuration, before any run starts.
   *
   * @throws org.ttcspark.config.ConfigProblems if it would not
   */
  void validate(PlannedRun run, Stage stage);

  /**
   * Runs the stage.
   *
   * @return values for the results table (column name → number or text); may be empty
   * @throws Exception when the stage failed; the run is then recorded as failed and redone by
   *     the next invocation of the sweep
   */
  Map<String, Object> run(PlannedRun run, Stage stage) throws Exception;

  /**
   * What the stage writes inside the run folder (names relative to it), so that a redone stage
   * can move its earlier results aside first. Empty for stages that are never redone.
   */
  default List<String> outputs(PlannedRun run, Stage stage) {
    return List.of();
  }

  /**
   * The configuration the run's training records in its folder ({@code config.conf}): the
   * planned one with whatever the stages set on it. A finished run of an earlier version is
   * compared against it before it is reused.
   */
  default Config recordedConfig(PlannedRun run) {
    return run.config();
  }

  /**
   * A finished run's row brought up to date with what its files say, for values this version
   * derives differently from an earlier one (such as the collapse columns from the training
   * log). The default returns the row as it is.
   */
  default Map<String, Object> refresh(PlannedRun run, Map<String, Object> row)
      throws IOException {
    return row;
  }
}
