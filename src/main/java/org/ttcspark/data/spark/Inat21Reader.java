package org.ttcspark.data.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.data.Columns;

/**
 * iNat21: {@code train/} and {@code val/} folders of category folders named
 * {@code NNNNN_Kingdom_Phylum_..._Species}. Label i = every category whose name after the
 * number starts with prefix i (case-insensitive). {@code val/} is the test split; validation is
 * held out of {@code train/} by the job.
 */
final class Inat21Reader implements SourceReader {
  private static final long serialVersionUID = 1L;
  private final String root;
  private final List<String> prefixes;

  Inat21Reader(String root, List<String> prefixes) {
    this.root = root;
    this.prefixes = List.copyOf(prefixes);
  }

  @Override
  public Plan plan(JavaSparkContext spark, HadoopConf conf) throws IOException {
    List<FileSources.Folder> folders = new ArrayList<>();
    folders.addAll(categories("train", Columns.TRAIN, conf.get()));
    folders.addAll(categories("val", Columns.TEST, conf.get()));
    List<FileSources.Listed> listed = FileSources.list(spark, conf, folders);
    return new Plan(FileSources.images(listed, Columns.TRAIN), null,
        FileSources.images(listed, Columns.TEST), prefixes, FileSources.nonImages(listed));
  }

  @Override
  public Iterator<Loaded> load(Iterator<Candidate> candidates, Configuration conf) {
    return FileSources.readFiles(candidates, conf);
  }

  /** The label of a category folder name, or -1 when no prefix matches. */
  static int labelOf(String category, List<String> prefixes) {
    String taxon = category.replaceFirst("^\\d+_", "").toLowerCase(Locale.ROOT);
    int label = -1;
    for (int i = 0; i < prefixes.size(); i++) {
      if (taxon.startsWith(prefixes.get(i).toLowerCase(Locale.ROOT))) {
        if (label >= 0) {
          throw new IllegalArgumentException("category " + category + " matches both taxonomy "
              + "prefixes " + prefixes.get(label) + " and " + prefixes.get(i)
              + "; make dataset.inat21.prefixes disjoint");
        }
        label = i;
      }
    }
    return label;
  }

  private List<FileSources.Folder> categories(String folder, String split, Configuration conf)
      throws IOException {
    Path dir = new Path(root, folder);
    if (!dir.getFileSystem(conf).exists(dir)) {
      throw new IllegalArgumentException("iNat21 folder " + dir + " does not exist; "
          + "dataset.path must hold train/ and val/");
    }
    List<FileSources.Folder> out = new ArrayList<>();
    boolean[] matched = new boolean[prefixes.size()];
    String example = "";
    for (FileStatus s : FileSources.subfolders(dir, conf)) {
      String name = s.getPath().getName();
      example = name;
      int label = labelOf(name, prefixes);
      if (label >= 0) {
        matched[label] = true;
        out.add(new FileSources.Folder(s.getPath().toString(), split, label, name,
            folder + "/" + name));
      }
    }
    for (int i = 0; i < matched.length; i++) {
      if (!matched[i]) {
        throw new IllegalArgumentException("taxonomy prefix " + prefixes.get(i) + " (dataset"
            + ".inat21.prefixes[" + i + "]) matches no category folder in " + dir
            + (example.isEmpty() ? " (it has none)" : "; names look like " + example)
            + "; fix the prefix (compared case-insensitively after the number)");
      }
    }
    return out;
  }
}
