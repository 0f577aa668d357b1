package org.ttcspark.model.bigdl;

import com.intel.analytics.bigdl.nn.Module$;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.platform.HadoopFiles;

/**
 * Models on disk in BigDL's module format ({@code saveModule} / {@code Module.loadModule},
 * protobuf, never Java serialisation), on any Hadoop path.
 *
 * <p>BigDL 0.13 reads and writes module files through Hadoop's JVM-wide cached
 * {@code FileSystem} and closes it when done, which breaks every later use of that file system
 * in the JVM ("Filesystem closed" on HDFS). So BigDL only ever sees a local file here; models
 * on other file systems (hdfs://, s3a://) are staged through a local temporary file that this
 * class copies with its own streams.
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
    if (isLocal(fs)) {
      model.saveModule(tmp.toString(), null, true);
    } else {
      java.nio.file.Path local = Files.createTempFile("ttc-module", ".bigdl");
      try {
        model.saveModule(local.toString(), null, true);
        fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
      } catch (IOException | RuntimeException e) {
        fs.delete(tmp, false);
        throw e;
      } finally {
        Files.deleteIfExists(local);
      }
    }
    replace(fs, tmp, target);
  }

  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getUri().getScheme());
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
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException("model file " + path + " does not exist");
    }
    if (isLocal(fs)) {
      return Module$.MODULE$.loadModule(path.toString(), null, Bigdl.FLOAT, Bigdl.NUMERIC);
    }
    java.nio.file.Path local = Files.createTempFile("ttc-module", ".bigdl");
    try {
      try (InputStream in = fs.open(path)) {
        Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
      }
      return Module$.MODULE$.loadModule(local.toString(), null, Bigdl.FLOAT, Bigdl.NUMERIC);
    } finally {
      Files.deleteIfExists(local);
    }
  }
}
