package org.ttcspark.train.bigdl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.SubclassCentres;
import org.ttcspark.train.TrainSample;

/**
 * SBCL's clusterings in the run folder, so that a resumed run trains on the subclasses the
 * killed run had: {@code <run>/subclasses/epoch-NNNN/} holds {@code assignments/} (Parquet:
 * {@code id}, {@code label}, {@code cluster} of every train sample) and {@code subclasses.json}
 * (epoch, centres per class, class temperatures or null). The folder is written under a
 * temporary name and renamed when complete.
 */
public final class SubclassFiles {
  /** Sub-folder of the run holding the clusterings. */
  public static final String FOLDER = "subclasses";
  static final String ASSIGNMENTS = "assignments";
  static final String SUMMARY = "subclasses.json";
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
      .add("label", DataTypes.IntegerType).add("cluster", DataTypes.IntegerType);

  private SubclassFiles() {}

  /**
   * One clustering read back.
   *
   * @param centres the centres per class
   * @param classTemperatures SBCL rank's derived temperatures, or null
   * @param clusters cluster id per sample id
   */
  public record Saved(SubclassCentres centres, double[] classTemperatures,
      Map<String, Integer> clusters) {}

  /** The folder of the clustering made at the start of {@code epoch}. */
  public static Path folder(RunFolder run, int epoch) {
    return new Path(new Path(run.path(), FOLDER), String.format("epoch-%04d", epoch));
  }

  /** Writes a clustering (samples carrying their cluster ids) atomically. */
  public static void write(SparkSession spark, RunFolder run, int epoch,
      JavaRDD<TrainSample> clustered, SubclassCentres centres, double[] classTemperatures)
      throws IOException {
    Path target = folder(run, epoch);
    FileSystem fs = target.getFileSystem(run.hadoop());
    fs.mkdirs(target.getParent());
    Path tmp = HadoopFiles.temporarySibling(target);
    try {
      JavaRDD<Row> rows = clustered.map(s -> RowFactory.create(s.id(), s.label(), s.cluster()));
      spark.createDataFrame(rows, SCHEMA).coalesce(1).write()
          .parquet(new Path(tmp, ASSIGNMENTS).toString());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("epoch", epoch);
      m.put("dim", centres.dim());
      List<List<float[]>> perClass = new ArrayList<>();
      for (int c = 0; c < centres.classes(); c++) {
        List<float[]> rowsOfClass = new ArrayList<>();
        for (int k = 0; k < centres.count(c); k++) {
          rowsOfClass.add(centres.centre(c, k));
        }
        perClass.add(rowsOfClass);
      }
      m.put("centres", perClass);
      m.put("class_temperatures", classTemperatures);
      HadoopFiles.writeString(new Path(tmp, SUMMARY), run.hadoop(), Json.write(m));
      HadoopFiles.replace(fs, tmp, target);
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
    }
  }

  /**
   * The clustering of {@code epoch}, or null when the run folder has none.
   *
   * @throws IllegalStateException if its summary is corrupt
   */
  public static Saved read(SparkSession spark, RunFolder run, int epoch) throws IOException {
    Path dir = folder(run, epoch);
    Path summary = new Path(dir, SUMMARY);
    if (!summary.getFileSystem(run.hadoop()).exists(summary)) {
      return null;
    }
    JsonNode n = Json.MAPPER.readTree(HadoopFiles.readString(summary, run.hadoop()));
    if (!n.has("dim") || !n.path("centres").isArray()) {
      throw new IllegalStateException("SBCL clustering " + summary + " lacks dim or centres");
    }
    int dim = n.get("dim").asInt();
    JsonNode classes = n.get("centres");
    float[][] centres = new float[classes.size()][];
    for (int c = 0; c < classes.size(); c++) {
      JsonNode rows = classes.get(c);
      centres[c] = new float[rows.size() * dim];
      for (int k = 0; k < rows.size(); k++) {
        for (int j = 0; j < dim; j++) {
          centres[c][k * dim + j] = (float) rows.get(k).get(j).asDouble();
        }
      }
    }
    JsonNode t = n.path("class_temperatures");
    double[] temperatures = null;
    if (t.isArray()) {
      temperatures = new double[t.size()];
      for (int c = 0; c < t.size(); c++) {
        temperatures[c] = t.get(c).asDouble();
      }
    }
    Map<String, Integer> clusters = new HashMap<>();
    for (Row r : spark.read().parquet(new Path(dir, ASSIGNMENTS).toString())
        .select("id", "cluster").collectAsList()) {
      clusters.put(r.getString(0), r.getInt(1));
    }
    return new Saved(new SubclassCentres(dim, centres), temperatures, clusters);
  }
}
