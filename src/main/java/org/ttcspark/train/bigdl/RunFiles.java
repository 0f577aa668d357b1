package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.MetricsLogFile;
import org.ttcspark.train.CheckpointRetention;

/** What every trainer writes into its run folder: metrics lines and checkpoints. */
final class RunFiles {
  private RunFiles() {}

  /** {@code metrics.jsonl} of the run, appended to when a resumed run already has one. */
  static OutputStream metrics(RunFolder run) throws IOException {
    return MetricsLogFile.append(run.path(), run.hadoop());
  }

  /**
   * Writes checkpoint {@code c} (model, state and, if not null, the optimiser's state) under a
   * hidden temporary name and renames it into place, so every checkpoint folder is whole; then,
   * and only then, deletes the older checkpoints {@code keep} does not keep (null: keeps all).
   *
   * @return the checkpoint folder
   */
  static Path save(AbstractModule<Activity, Activity, Object> model, RunFolder run,
      Checkpoint c, OptimState optim, CheckpointRetention keep, PrintStream console)
      throws IOException {
    Path target = Checkpoint.folder(run.path(), c.epoch());
    Path tmp = HadoopFiles.temporarySibling(target);
    FileSystem fs = target.getFileSystem(run.hadoop());
    fs.mkdirs(tmp);
    ModuleFiles.save(model, new Path(tmp, Checkpoint.MODEL), run.hadoop());
    if (optim != null) {
      optim.write(tmp, run.hadoop());
    }
    c.writeState(tmp, run.hadoop());
    ModuleFiles.replace(fs, tmp, target);
    if (keep != null) {
      prune(run, keep, console);
    }
    return target;
  }

  /**
   * Deletes the complete checkpoints {@code keep} lets go. A checkpoint that cannot be deleted
   * is reported and left: it costs space, not correctness.
   */
  static void prune(RunFolder run, CheckpointRetention keep, PrintStream console)
      throws IOException {
    Map<Integer, Path> byEpoch = new HashMap<>();
    for (Path p : Checkpoint.complete(run.path(), run.hadoop())) {
      byEpoch.put(Checkpoint.epochOf(p), p);
    }
    for (int epoch : keep.prunable(byEpoch.keySet())) {
      Path old = byEpoch.get(epoch);
      FileSystem fs = old.getFileSystem(run.hadoop());
      // State first: a deletion cut short leaves a folder no longer taken for a checkpoint.
      fs.delete(new Path(old, Checkpoint.STATE), false);
      if (!fs.delete(old, true)) {
        console.println("warning: could not delete the old checkpoint " + old
            + " (train.checkpoints.keep-last / keep-every); delete it by hand to free the space");
      }
    }
  }
}
