package org.ttcspark.data.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.data.Columns;
import org.ttcspark.data.Sampling;
import org.ttcspark.platform.HadoopFiles;

/**
 * FracAtlas: {@code images/Fractured}, {@code images/Non_fractured} and {@code dataset.csv}
 * (columns {@code image_id} and the 0/1 label column, 1 = fractured). The CSV is the listing:
 * an image's folder follows from its label; a listed file that is missing or undecodable is
 * skipped as a bad record. Train, val and test come from a seeded stratified split.
 */
final class FracatlasReader implements SourceReader {
  private static final long serialVersionUID = 1L;
  static final List<String> CLASS_NAMES = List.of("Non_fractured", "Fractured");
  private final String root;
  private final String labelColumn;
  private final double[] fractions;
  private final long seed;

  FracatlasReader(String root, String labelColumn, double[] fractions, long seed) {
    this.root = root;
    this.labelColumn = labelColumn;
    this.fractions = fractions.clone();
    this.seed = seed;
  }

  @Override
  public Plan plan(JavaSparkContext spark, HadoopConf conf) throws IOException {
    Path csv = new Path(root, "dataset.csv");
    for (String folder : CLASS_NAMES) {
      Path dir = new Path(new Path(root, "images"), folder);
      if (!dir.getFileSystem(conf.get()).exists(dir)) {
        throw new IllegalArgumentException("FracAtlas folder " + dir + " does not exist; "
            + "dataset.path must hold images/Fractured, images/Non_fractured and dataset.csv");
      }
    }
    if (!csv.getFileSystem(conf.get()).exists(csv)) {
      throw new IllegalArgumentException("FracAtlas " + csv + " does not exist");
    }
    List<List<Candidate>> byClass = List.of(new ArrayList<>(), new ArrayList<>());
    for (Candidate c : parse(HadoopFiles.readString(csv, conf.get()), csv.toString())) {
      byClass.get(c.label()).add(c);
    }
    List<List<List<Candidate>>> parts = Sampling.stratifiedSplit(byClass, fractions, seed);
    return new Plan(flatten(parts.get(0), Columns.TRAIN), flatten(parts.get(1), Columns.VAL),
        flatten(parts.get(2), Columns.TEST), CLASS_NAMES, List.of());
  }

  @Override
  public Iterator<Loaded> load(Iterator<Candidate> candidates, Configuration conf) {
    return FileSources.readFiles(candidates, conf);
  }

  /** The candidates of dataset.csv (split not yet decided: "train"). */
  List<Candidate> parse(String text, String name) {
    String[] lines = text.split("\r?\n");
    List<String> header = Arrays.asList(lines[0].trim().split(","));
    int idColumn = header.indexOf("image_id");
    int labelIndex = header.indexOf(labelColumn);
    if (idColumn < 0 || labelIndex < 0) {
      throw new IllegalArgumentException(name + " has columns " + header + " but needs image_id "
          + "and " + labelColumn + " (dataset.fracatlas.label-column)");
    }
    List<Candidate> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] cells = lines[i].split(",", -1);
      String value = cells.length > labelIndex ? cells[labelIndex].trim() : "";
      if (!value.equals("0") && !value.equals("1")) {
        throw new IllegalArgumentException(name + " line " + (i + 1) + ": " + labelColumn + " = '"
            + value + "' but must be 0 or 1");
      }
      int label = Integer.parseInt(value);
      String image = cells[idColumn].trim();
      Path file = new Path(new Path(new Path(root, "images"), CLASS_NAMES.get(label)), image);
      out.add(new Candidate(CLASS_NAMES.get(label) + "/" + image, Columns.TRAIN, label,
          CLASS_NAMES.get(label), -1, file.toString(), 0));
    }
    return out;
  }

  private static List<Candidate> flatten(List<List<Candidate>> byClass, String split) {
    List<Candidate> out = new ArrayList<>();
    byClass.forEach(l -> l.forEach(c -> out.add(c.inSplit(split))));
    return out;
  }
}
