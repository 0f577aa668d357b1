package org.ttcspark.model.bigdl;

import com.intel.analytics.bigdl.nn.Module$;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.HadoopFiles;

/**
 * Models on disk in BigDL's module format ({@code saveModule} / {@code Module.loadModule},
 * protobuf, never Java serialisation), on any Hadoop path.
 */
public final class ModuleFiles {
  private ModuleFiles() {}

  /**
   * Writes {@code model} to {@code target} atomically: to a temporary file beside it first, then
   * renamed over it, so a killed run never leaves a half-written model.
   */
  public static void save(AbstractModule<Activity, Activity, Object> model, Path target,
      Configuration conf) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    Path tmp = HadoopFiles.temporarySibling(target);
    model.saveModule(tmp.toString(), null, true);
    replace(fs, tmp, target);
  }

  /**
   * Moves a completed file or folder {@code tmp} to {@code target}, replacing what is there.
   *
   * @throws IOException if the rename fails
   */
  public static void replace(FileSystem fs, Path tmp, Path target) throws IOException {
    try {
      HadoopFiles.replace(fs, tmp, target);
    } catch (IOException e) {
      fs.delete(tmp, true);
      throw e;
    }
  }

  /** Reads a model written by {@link #save}. @throws IllegalArgumentException if it is missing */
  public static AbstractModule<Activity, Activity, Object> load(Path path, Configuration conf)
      throws IOException {
    if (!path.getFileSystem(conf).exists(path)) {
      throw new IllegalArgumentException("model file " + path + " does not exist");
    }
    return Module$.MODULE$.loadModule(path.toString(), null, Bigdl.FLOAT, Bigdl.NUMERIC);
  }
}
