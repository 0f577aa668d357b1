package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;

/**
 * The checkpoint {@code --resume} continues from: the newest complete one that reads back whole
 * (state, model, optimiser state). A damaged newest checkpoint (a truncated or garbled model
 * file, a missing file: a disk that filled up, a copy cut short) would otherwise stop the
 * resume with a protobuf or checksum message naming no file; the previous complete checkpoint,
 * which {@code train.checkpoints.keep-last} keeps for this, is taken instead, with one warning.
 *
 * @param folder the checkpoint folder
 * @param state its {@code state.json}
 * @param model its model
 */
record ResumePoint(Path folder, Checkpoint state,
    AbstractModule<Activity, Activity, Object> model) {

  /**
   * The newest complete checkpoint of {@code run} that loads, or null when the run has none.
   * Prints one warning line naming the damaged checkpoint(s) passed over and the one taken.
   *
   * @throws IllegalStateException if checkpoints exist but none loads, naming each and why
   */
  static ResumePoint newest(RunFolder run, PrintStream console) throws IOException {
    List<Path> complete = Checkpoint.complete(run.path(), run.hadoop());
    List<String> damaged = new ArrayList<>();
    for (Path folder : complete) {
      try {
        Checkpoint state = Checkpoint.read(folder, run.hadoop());
        AbstractModule<Activity, Activity, Object> model =
            ModuleFiles.load(new Path(folder, Checkpoint.MODEL), run.hadoop());
        OptimState.read(folder, run.hadoop());
        if (!damaged.isEmpty()) {
          console.println("warning: " + String.join("; ", damaged) + "; resuming from the "
              + "previous complete checkpoint " + folder + " instead");
        }
        return new ResumePoint(folder, state, model);
      } catch (IOException | RuntimeException e) {
        damaged.add("checkpoint " + folder + " is damaged (" + reason(e) + ")");
      }
    }
    if (damaged.isEmpty()) {
      return null;
    }
    throw new IllegalStateException("--resume: no checkpoint of " + run.path() + " can be read: "
        + String.join("; ", damaged) + ". Restore the checkpoint files from a copy, or start the "
        + "run anew (without --resume, under a new run.name)");
  }

  /** One line: the innermost cause's type and the first line of its message. */
  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage().strip();
    int eol = message.indexOf('\n');
    if (eol >= 0) {
      message = message.substring(0, eol).strip();
    }
    if (message.length() > 160) {
      message = message.substring(0, 157) + "...";
    }
    return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
