package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.Checkpoint;
import org.ttcspark.train.MetricsLogFile;

/** What every trainer writes into its run folder: metrics lines and checkpoints. */
final class RunFiles {
  private RunFiles() {}

  /** {@code metrics.jsonl} of the run, appended to when a resumed run already has one. */
  static OutputStream metrics(RunFolder run) throws IOException {
    return MetricsLogFile.append(run.path(), run.hadoop());
  }

  /**
   * Writes checkpoint {@code c} (model, state and, if not null, the optimiser's state) under a
   * hidden temporary name and renames it into place, so every checkpoint folder is whole.
   *
   * @return the checkpoint folder
   */
  static Path save(AbstractModule<Activity, Activity, Object> model, RunFolder run,
      Checkpoint c, OptimState optim) throws IOException {
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
    return target;
  }
}
