package org.ttcspark.data.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.data.Columns;

/**
 * ImageFolder: {@code root/<split>/<class>/<image>} with split train (required), val
 * (optional: held out of train when absent) and test (required). Exactly two class folders;
 * label = the folder's index in sorted order, the same in every split.
 */
final class ImageFolderReader implements SourceReader {
  private static final long serialVersionUID = 1L;
  private final String root;

  ImageFolderReader(String root) {
    this.root = root;
  }

  @Override
  public Plan plan(JavaSparkContext spark, HadoopConf conf) throws IOException {
    Configuration c = conf.get();
    Path valDir = new Path(root, Columns.VAL);
    boolean hasVal = valDir.getFileSystem(c).exists(valDir);
    List<String> classes = classes(Columns.TRAIN, c);
    List<FileSources.Folder> folders = new ArrayList<>(folders(Columns.TRAIN, classes, c));
    if (hasVal) {
      folders.addAll(folders(Columns.VAL, classes, c));
    }
    folders.addAll(folders(Columns.TEST, classes, c));
    List<FileSources.Listed> listed = FileSources.list(spark, conf, folders);
    return new Plan(FileSources.images(listed, Columns.TRAIN),
        hasVal ? FileSources.images(listed, Columns.VAL) : null,
        FileSources.images(listed, Columns.TEST), classes, FileSources.nonImages(listed));
  }

  @Override
  public Iterator<Loaded> load(Iterator<Candidate> candidates, Configuration conf) {
    return FileSources.readFiles(candidates, conf);
  }

  private List<String> classes(String split, Configuration conf) throws IOException {
    Path dir = new Path(root, split);
    if (!dir.getFileSystem(conf).exists(dir)) {
      throw new IllegalArgumentException("ImageFolder split folder " + dir + " does not exist; "
          + "dataset.path must hold train/ and test/ (val/ optional), one folder per class");
    }
    List<String> names = new ArrayList<>();
    for (FileStatus s : FileSources.subfolders(dir, conf)) {
      names.add(s.getPath().getName());
    }
    if (names.size() != 2) {
      throw new IllegalArgumentException("ImageFolder " + dir + " holds " + names.size()
          + " class folders " + names + "; binary datasets need exactly two");
    }
    return names;
  }

  private List<FileSources.Folder> folders(String split, List<String> classes, Configuration conf)
      throws IOException {
    List<String> found = classes(split, conf);
    if (!found.equals(classes)) {
      throw new IllegalArgumentException("ImageFolder " + new Path(root, split) + " has class "
          + "folders " + found + " but train/ has " + classes + "; use the same names");
    }
    List<FileSources.Folder> out = new ArrayList<>();
    for (int label = 0; label < classes.size(); label++) {
      String name = classes.get(label);
      out.add(new FileSources.Folder(new Path(new Path(root, split), name).toString(), split,
          label, name, split + "/" + name));
    }
    return out;
  }
}
