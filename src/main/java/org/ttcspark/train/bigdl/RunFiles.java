package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
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
  /** A checkpoint's driver-side training state (BCL's and PaCo's heads, PaCo's queue). */
  static final String DRIVER_STATE = "driver-state.bin";
  /** A checkpoint's momentum key encoder weights (PaCo), flat, in the model's layout. */
  static final String KEY_ENCODER = "key-encoder.bin";
  private static final String DRIVER_STATE_FORMAT = "ttc-driver-state-1";

  /** Written into a checkpoint's folder before it is renamed into place. */
  @FunctionalInterface
  interface Extras {
    void write(Path folder, Configuration conf) throws IOException;
  }

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
      Checkpoint c, OptimState optim, Extras extras, CheckpointRetention keep,
      PrintStream console) throws IOException {
    Path target = Checkpoint.folder(run.path(), c.epoch());
    Path tmp = HadoopFiles.temporarySibling(target);
    FileSystem fs = target.getFileSystem(run.hadoop());
    fs.mkdirs(tmp);
    ModuleFiles.save(model, new Path(tmp, Checkpoint.MODEL), run.hadoop());
    if (optim != null) {
      optim.write(tmp, run.hadoop());
    }
    if (extras != null) {
      extras.write(tmp, run.hadoop());
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

  /** Writes named arrays as {@link #DRIVER_STATE} into a checkpoint folder being written. */
  static void writeDriverState(Path folder, Configuration conf, Map<String, double[]> state)
      throws IOException {
    Path file = new Path(folder, DRIVER_STATE);
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
        file.getFileSystem(conf).create(file, true)))) {
      out.writeUTF(DRIVER_STATE_FORMAT);
      out.writeInt(state.size());
      for (Map.Entry<String, double[]> e : state.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (double v : e.getValue()) {
          out.writeDouble(v);
        }
      }
    }
  }

  /** The arrays {@link #writeDriverState} wrote into {@code checkpoint}, or null without. */
  static Map<String, double[]> readDriverState(Path checkpoint, Configuration conf)
      throws IOException {
    Path file = new Path(checkpoint, DRIVER_STATE);
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
        fs.open(file)))) {
      String format = in.readUTF();
      if (!format.equals(DRIVER_STATE_FORMAT)) {
        throw new IOException(file + " is not a driver state this version reads (" + format
            + ")");
      }
      Map<String, double[]> state = new LinkedHashMap<>();
      for (int n = in.readInt(), i = 0; i < n; i++) {
        String name = in.readUTF();
        double[] v = new double[in.readInt()];
        for (int j = 0; j < v.length; j++) {
          v[j] = in.readDouble();
        }
        state.put(name, v);
      }
      return state;
    }
  }

  /**
   * Marks a {@link #KEY_ENCODER} whose weights follow the checkpoint model's (the plain model's)
   * parameter layout, which every engine reads; files without it hold the layout of the model
   * the writing engine trained (the MKL-DNN graph's in mkldnn mode).
   */
  private static final int PLAIN_LAYOUT = -1;

  /** Key encoder weights read back, and whether they are in the plain model's layout. */
  record KeyEncoder(float[] weights, boolean plainLayout) {}

  /**
   * Writes flat weights, in the plain model's parameter layout, as {@link #KEY_ENCODER} into a
   * checkpoint folder being written.
   */
  static void writeKeyEncoder(Path folder, Configuration conf, float[] weights)
      throws IOException {
    Path file = new Path(folder, KEY_ENCODER);
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
        file.getFileSystem(conf).create(file, true)))) {
      out.writeInt(PLAIN_LAYOUT);
      out.writeInt(weights.length);
      for (float v : weights) {
        out.writeFloat(v);
      }
    }
  }

  /** The weights {@link #writeKeyEncoder} wrote into {@code checkpoint}, or null without. */
  static KeyEncoder readKeyEncoder(Path checkpoint, Configuration conf) throws IOException {
    Path file = new Path(checkpoint, KEY_ENCODER);
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
        fs.open(file)))) {
      int first = in.readInt();
      boolean plain = first == PLAIN_LAYOUT;
      float[] w = new float[plain ? in.readInt() : first];
      for (int i = 0; i < w.length; i++) {
        w[i] = in.readFloat();
      }
      return new KeyEncoder(w, plain);
    }
  }
}
