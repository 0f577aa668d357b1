package org.ttcspark.data.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Helpers of the sources made of image files: folder listing on the executors and reading a
 * file's bytes. Files whose names do not end in .jpg, .jpeg or .png are non-image files
 * (skipped and reported); names starting with '.' or '_' are hidden and ignored.
 */
final class FileSources {
  private FileSources() {}

  /**
   * A folder of images of one class and split.
   *
   * @param path the folder
   * @param idPrefix prefix of the ids of its images, e.g. {@code train/00012_Animalia_...}
   */
  record Folder(String path, String split, int label, String className, String idPrefix)
      implements Serializable {}

  /** A listed folder: its image candidates (sorted by name) and its non-image files. */
  record Listed(Folder folder, List<Candidate> images, List<String> nonImages)
      implements Serializable {}

  /** The sub-folders of {@code dir}, sorted by name, hidden ones ignored. */
  static List<FileStatus> subfolders(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    List<FileStatus> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.isDirectory() && !hidden(s.getPath().getName())) {
        out.add(s);
      }
    }
    out.sort(Comparator.comparing(s -> s.getPath().getName()));
    return out;
  }

  /**
   * Lists the folders on the executors (one task per few folders).
   *
   * @throws IllegalArgumentException naming the first folder that holds no image
   */
  static List<Listed> list(JavaSparkContext spark, HadoopConf conf, List<Folder> folders) {
    if (folders.isEmpty()) {
      return List.of();
    }
    int slices = Math.max(1, Math.min(folders.size(), spark.defaultParallelism() * 4));
    List<Listed> listed = spark.parallelize(folders, slices)
        .map(f -> listOne(f, conf.get())).collect();
    for (Listed l : listed) {
      if (l.images().isEmpty()) {
        throw new IllegalArgumentException("class folder " + l.folder().path() + " holds no "
            + ".jpg, .jpeg or .png image; remove it or add its images");
      }
    }
    return listed;
  }

  private static Listed listOne(Folder f, Configuration conf) throws IOException {
    Path dir = new Path(f.path());
    FileStatus[] statuses = dir.getFileSystem(conf).listStatus(dir);
    Arrays.sort(statuses, Comparator.comparing(s -> s.getPath().getName()));
    List<Candidate> images = new ArrayList<>();
    List<String> nonImages = new ArrayList<>();
    for (FileStatus s : statuses) {
      String name = s.getPath().getName();
      if (s.isDirectory() || hidden(name)) {
        continue;
      }
      if (isImageName(name)) {
        images.add(new Candidate(f.idPrefix() + "/" + name, f.split(), f.label(), f.className(),
            -1, s.getPath().toString(), 0));
      } else {
        nonImages.add(s.getPath() + ": not a .jpg, .jpeg or .png file");
      }
    }
    return new Listed(f, images, nonImages);
  }

  /** True for names ending in .jpg, .jpeg or .png (any case). */
  static boolean isImageName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
  }

  static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  /** The candidates of listed folders, split by split name. */
  static List<Candidate> images(List<Listed> listed, String split) {
    List<Candidate> out = new ArrayList<>();
    for (Listed l : listed) {
      if (l.folder().split().equals(split)) {
        out.addAll(l.images());
      }
    }
    return out;
  }

  /** Every non-image file of the listed folders. */
  static List<String> nonImages(List<Listed> listed) {
    List<String> out = new ArrayList<>();
    listed.forEach(l -> out.addAll(l.nonImages()));
    return out;
  }

  /** Reads each candidate's file (its {@code source} path). */
  static Iterator<SourceReader.Loaded> readFiles(Iterator<Candidate> candidates,
      Configuration conf) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return candidates.hasNext();
      }

      @Override
      public SourceReader.Loaded next() {
        Candidate c = candidates.next();
        Path path = new Path(c.source());
        try (InputStream in = path.getFileSystem(conf).open(path)) {
          return new SourceReader.Loaded(c, in.readAllBytes(), null);
        } catch (IOException | UncheckedIOException e) {
          return new SourceReader.Loaded(c, null, "cannot read: " + e.getMessage());
        }
      }
    };
  }
}
