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
    FileStatus[] statuses = fs.listStatus(dir);
    for (FileStatus s : statuses) {
      if (s.isDirectory() && !hidden(s.getPath().getName())) {
        out.add(s);
      }
    }
    List<String> undecodable = undecodableNames(dir, statuses, conf);
    if (!undecodable.isEmpty()) {
      // a whole class or category would be lost: not a bad record but an error
      throw new IllegalArgumentException(undecodable.get(0));
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
    nonImages.addAll(undecodableNames(dir, statuses, conf));
    return new Listed(f, images, nonImages);
  }

  /**
   * Files of a local folder that Hadoop's listing left out because their names are not valid in
   * the JVM's file name encoding ({@code sun.jnu.encoding}, from the locale: UTF-8 for
   * {@code C.UTF-8}): Java decodes such a name lossily (invalid bytes become U+FFFD), the
   * decoded name no longer exists, and Hadoop's {@code RawLocalFileSystem.listStatus} skips
   * names it cannot stat. Without this check such images would vanish from the split without
   * a trace; they are reported as bad records instead, so they count towards
   * {@code prepare.max-bad-fraction}. (HDFS and S3 names are UTF-8 by protocol.)
   */
  static List<String> undecodableNames(Path dir, FileStatus[] listed, Configuration conf)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    if (!"file".equals(fs.getUri().getScheme())) {
      return List.of();
    }
    java.io.File local = new java.io.File(fs.makeQualified(dir).toUri());
    String[] names = local.list();
    if (names == null || names.length == listed.length) {
      return List.of();
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (FileStatus s : listed) {
      seen.add(s.getPath().getName());
    }
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (!seen.contains(n) && !hidden(n) && !new java.io.File(local, n).exists()) {
        out.add(dir + "/" + n.replace('\uFFFD', '?') + ": the file name is not valid "
            + System.getProperty("sun.jnu.encoding") + " (the file name encoding of this "
            + "locale), so it cannot be opened; rename it (e.g. convmv -f latin1 -t utf8)");
      }
    }
    return out;
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
    return SourceReader.each(candidates, c -> {
      Path path = new Path(c.source());
      try (InputStream in = path.getFileSystem(conf).open(path)) {
        return new SourceReader.Loaded(c, in.readAllBytes(), null);
      } catch (IOException | UncheckedIOException e) {
        return new SourceReader.Loaded(c, null, "cannot read: " + e.getMessage());
      }
    });
  }
}
