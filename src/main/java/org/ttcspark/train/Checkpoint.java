package org.ttcspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;

/**
 * What a per-epoch checkpoint records besides the model: the folder
 * {@code <run>/checkpoints/epoch-NNNN/} holds {@code model.bigdl} (BigDL module format) and
 * {@code state.json} (this record). The folder is written under a temporary name and renamed
 * when complete, so every {@code epoch-*} folder is whole.
 *
 * @param epoch the last finished epoch (1-based)
 * @param iteration iterations done so far
 * @param learningRate the rate of the last iteration
 * @param signature the architecture ({@link org.ttcspark.model.ModelConfig#signature})
 * @param method the loss method
 * @param loss the last iteration's loss
 */
public record Checkpoint(int epoch, long iteration, double learningRate, String signature,
    String method, double loss) {
  /** Sub-folder of the run holding the checkpoints. */
  public static final String FOLDER = "checkpoints";
  /** The model file inside a checkpoint folder. */
  public static final String MODEL = "model.bigdl";
  /** The state file inside a checkpoint folder. */
  public static final String STATE = "state.json";
  /** The folder of epoch {@code epoch} under a run folder. */
  public static Path folder(Path run, int epoch) {
    return new Path(new Path(run, FOLDER), String.format("epoch-%04d", epoch));
  }

  /** Writes {@code state.json} into a (temporary) checkpoint folder. */
  public void writeState(Path folder, Configuration conf) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("iteration", iteration);
    m.put("learning_rate", learningRate);
    m.put("signature", signature);
    m.put("method", method);
    m.put("loss", Double.isFinite(loss) ? loss : null);
    HadoopFiles.writeString(new Path(folder, STATE), conf, Json.write(m));
  }

  /**
   * The newest complete checkpoint folder of a run, or null if there is none. A folder without
   * its state file is not complete (on stores whose folder rename is not atomic, such as S3,
   * a killed run can leave one) and is passed over.
   */
  public static Path latest(Path run, Configuration conf) throws IOException {
    List<Path> all = complete(run, conf);
    return all.isEmpty() ? null : all.get(0);
  }

  /**
   * The complete checkpoint folders of a run ({@code epoch-NNNN} holding its state file),
   * newest epoch first; empty when there is none.
   */
  public static List<Path> complete(Path run, Configuration conf) throws IOException {
    Path dir = new Path(run, FOLDER);
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.exists(dir)) {
      return List.of();
    }
    List<Path> found = new ArrayList<>();
    for (FileStatus st : fs.listStatus(dir)) {
      if (st.isDirectory() && st.getPath().getName().matches("epoch-\\d+")
          && fs.exists(new Path(st.getPath(), STATE))) {
        found.add(st.getPath());
      }
    }
    found.sort(Comparator.comparingInt(Checkpoint::epochOf).reversed());
    return found;
  }

  /** The epoch of a checkpoint folder, from its name {@code epoch-NNNN}. */
  public static int epochOf(Path folder) {
    return Integer.parseInt(folder.getName().substring("epoch-".length()));
  }

  /** Reads the state of a checkpoint folder. @throws IllegalStateException if it is corrupt */
  public static Checkpoint read(Path folder, Configuration conf) throws IOException {
    JsonNode n = Json.MAPPER.readTree(HadoopFiles.readString(new Path(folder, STATE), conf));
    if (!n.has("epoch") || !n.has("iteration") || !n.has("signature")) {
      throw new IllegalStateException("checkpoint state " + new Path(folder, STATE)
          + " lacks epoch, iteration or signature");
    }
    return new Checkpoint(n.get("epoch").asInt(), n.get("iteration").asLong(),
        n.path("learning_rate").asDouble(), n.get("signature").asText(),
        n.path("method").asText(), n.path("loss").asDouble(Double.NaN));
  }
}
