package org.ttcspark.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files on any Hadoop path (local, hdfs://, s3a://) written so that a reader never sees half of
 * one: the bytes go to a hidden temporary sibling which is renamed onto the target only after
 * it was closed successfully. A failed write deletes its temporary file and leaves any previous
 * target untouched; a crash at any step leaves the whole old or the whole new version, or the
 * old one aside where the next {@link #recover} finds it (see {@link #replace}).
 */
public final class HadoopFiles {
  private static final Logger LOG = LoggerFactory.getLogger(HadoopFiles.class);
  private static final String ASIDE = ".old-";
  private static final String TMP = ".tmp";

  /** The points between the renames of {@link #replace}, where tests simulate a crash. */
  enum Step { NEW_WRITTEN, OLD_ASIDE, NEW_IN }

  /** Called at each {@link Step}; a test's hook throws there to stop a replace midway. */
  @FunctionalInterface
  interface StepHook {
    void reached(Step s);
  }

  static volatile StepHook step = s -> { };

  private HadoopFiles() {}

  /** Writes the body's output to {@code target} atomically, replacing an existing file. */
  public static void writeAtomically(Path target, Configuration conf, Body body)
      throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    Path parent = target.getParent();
    if (parent != null) {
      fs.mkdirs(parent);
    }
    Path tmp = temporarySibling(target);
    boolean done = false;
    try {
      try (FSDataOutputStream out = fs.create(tmp, true)) {
        body.write(out);
      }
      step.reached(Step.NEW_WRITTEN);
      replace(fs, tmp, target);
      done = true;
    } finally {
      if (!done) {
        fs.delete(tmp, false);
      }
    }
  }

  /**
   * Moves a completed temporary file or folder onto {@code target}, replacing what is there:
   * the last step of every atomic write of a folder (Parquet outputs, checkpoints).
   *
   * <p>The old target is never deleted before the new one is in place, so a crash at any point
   * leaves a whole old or a whole new version: (1) the old target is renamed aside to a hidden
   * {@code .name.old-<uuid>}, (2) {@code tmp} is renamed onto the target, (3) the aside copy is
   * deleted. Between (1) and (2) the target is missing for the time of one rename; the next
   * {@link #recover} of the target (which every replace and {@link #readString} runs first)
   * renames the aside copy back, and deletes it once a target exists.
   *
   * @throws IOException if a rename fails (the old target is then back in place)
   */
  public static void replace(FileSystem fs, Path tmp, Path target) throws IOException {
    recover(fs, target, tmp, true);
    Path aside = null;
    if (fs.exists(target)) {
      aside = new Path(target.getParent(), "." + target.getName() + ASIDE + UUID.randomUUID());
      if (!fs.rename(target, aside)) {
        throw new IOException("cannot replace " + target + ": renaming it to " + aside
            + " failed");
      }
    }
    step.reached(Step.OLD_ASIDE);
    if (!fs.rename(tmp, target)) {
      if (aside != null && !fs.exists(target)) {
        fs.rename(aside, target);
      }
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
    step.reached(Step.NEW_IN);
    if (aside != null) {
      fs.delete(aside, true);
    }
  }

  /**
   * Resolves what an interrupted {@link #replace} or {@link #writeAtomically} of {@code target}
   * left beside it: when the target is missing, the newest aside copy of the old version is
   * renamed back; then every other aside copy and every temporary sibling is deleted. Writers of
   * one target must not run concurrently (a second writer's temporary file would be removed).
   *
   * @return true if the old version was restored
   */
  public static boolean recover(FileSystem fs, Path target) throws IOException {
    return recover(fs, target, null, true);
  }

  /**
   * @param keep the caller's own temporary sibling, never deleted
   * @param cleanup false for readers: restore a missing target only, delete nothing (a writer
   *     may be at work)
   */
  private static boolean recover(FileSystem fs, Path target, Path keep, boolean cleanup)
      throws IOException {
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return false;
    }
    String prefix = "." + target.getName();
    List<FileStatus> asides = new ArrayList<>();
    List<Path> temps = new ArrayList<>();
    for (FileStatus s : fs.listStatus(parent)) {
      String n = s.getPath().getName();
      // names only: the listing's paths are qualified, the caller's may not be
      if (!n.startsWith(prefix) || (keep != null && n.equals(keep.getName()))) {
        continue;
      }
      String rest = n.substring(prefix.length());
      if (rest.startsWith(ASIDE) && isUuid(rest.substring(ASIDE.length()))) {
        asides.add(s);
      } else if (rest.startsWith(".") && rest.endsWith(TMP)
          && isUuid(rest.substring(1, rest.length() - TMP.length()))) {
        temps.add(s.getPath());
      }
    }
    boolean restored = false;
    if (!asides.isEmpty() && !fs.exists(target)) {
      asides.sort(Comparator.comparingLong(FileStatus::getModificationTime));
      Path newest = asides.remove(asides.size() - 1).getPath();
      if (!fs.rename(newest, target)) {
        throw new IOException("cannot restore " + target + " from " + newest
            + " (left by an interrupted replace); rename it back by hand");
      }
      restored = true;
      LOG.warn("restored {} from {}, left by an interrupted replace", target, newest);
    }
    if (!cleanup) {
      return restored;
    }
    for (FileStatus s : asides) {
      fs.delete(s.getPath(), true);
    }
    for (Path t : temps) {
      fs.delete(t, true);
    }
    return restored;
  }

  private static boolean isUuid(String s) {
    try {
      return s.length() == 36 && UUID.fromString(s).toString().equals(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Opens a log file for appending, creating it if missing: for logs written line by line while
   * a job runs ({@code metrics.jsonl}), which a resumed job continues. Call
   * {@code hflush()} after each line to make it visible to readers.
   *
   * <p>HDFS appends natively. On the local file system the log bypasses Hadoop's checksummed
   * wrapper, which can neither append nor flush less than a buffer (readers skip verification
   * when there is no {@code .crc} file, and a stale one is removed). Stores without append (S3A)
   * get the old content rewritten into a new file, which S3 only publishes when it is closed.
   *
   * <p>A writer killed in the middle of a line leaves a torn last line; appending to it would
   * glue the next line onto it. So a file that does not end in a newline is first cut back to
   * its last newline (see {@link #cutTornLine}).
   */
  public static FSDataOutputStream append(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    cutTornLine(path, conf);
    if (fs instanceof LocalFileSystem local) {
      FileSystem raw = local.getRaw();
      raw.delete(local.getChecksumFile(path), false);
      return raw.exists(path) ? raw.append(path) : raw.create(path, false);
    }
    if (!fs.exists(path)) {
      return fs.create(path, false);
    }
    try {
      return fs.append(path);
    } catch (IOException | UnsupportedOperationException e) {
      byte[] old;
      try (var in = fs.open(path)) {
        old = in.readAllBytes();
      }
      FSDataOutputStream out = fs.create(path, true);
      out.write(old);
      return out;
    }
  }

  /**
   * Cuts a line log that does not end in a newline back to its last newline, dropping the torn
   * line a killed writer left. The local file system truncates in place; other stores (HDFS's
   * truncate is asynchronous and missing before Hadoop 2.7, S3 has none) get the kept lines
   * written atomically into a new file that replaces the old one.
   *
   * @return the number of bytes dropped (0 when the file is missing or whole)
   */
  public static long cutTornLine(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    FileSystem raw = fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    if (!raw.exists(path)) {
      return 0;
    }
    long length = raw.getFileStatus(path).getLen();
    if (length == 0) {
      return 0;
    }
    try (FSDataInputStream in = raw.open(path)) {
      in.seek(length - 1);
      if (in.read() == '\n') {
        return 0;
      }
    }
    byte[] all;
    try (FSDataInputStream in = raw.open(path)) {
      all = in.readAllBytes();
    }
    int keep = all.length;
    while (keep > 0 && all[keep - 1] != '\n') {
      keep--;
    }
    int kept = keep;
    if (raw instanceof RawLocalFileSystem local) {
      raw.delete(((LocalFileSystem) fs).getChecksumFile(path), false);
      try (FileChannel ch = FileChannel.open(local.pathToFile(path).toPath(),
          StandardOpenOption.WRITE)) {
        ch.truncate(kept);
      }
    } else {
      writeAtomically(path, conf, out -> out.write(all, 0, kept));
    }
    LOG.warn("{}: dropped a torn last line of {} bytes left by an interrupted writer", path,
        all.length - kept);
    return all.length - kept;
  }

  /** Writes UTF-8 text to {@code target} atomically. */
  public static void writeString(Path target, Configuration conf, String text) throws IOException {
    writeAtomically(target, conf, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Reads a whole (small) file as UTF-8 text, first restoring it if an interrupted
   * {@link #replace} left it aside (nothing is deleted: a writer may be at work).
   */
  public static String readString(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      recover(fs, path, null, false);
    }
    try (var in = fs.open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * A hidden sibling name for work in progress: {@code .name.<random>.tmp}. Hadoop's input
   * formats and Spark's readers skip names starting with '.' or '_'.
   */
  public static Path temporarySibling(Path target) {
    return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
  }

  /** What to write into the temporary file. */
  @FunctionalInterface
  public interface Body {
    void write(OutputStream out) throws IOException;
  }
}
