package org.ttcspark.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Files on any Hadoop path (local, hdfs://, s3a://) written so that a reader never sees half of
 * one: the bytes go to a hidden temporary sibling which is renamed onto the target only after
 * it was closed successfully. A failed write deletes its temporary file and leaves any previous
 * target untouched (on HDFS and the local file system the final rename is atomic).
 */
public final class HadoopFiles {
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
   * @throws IOException if the old target cannot be removed or the rename fails
   */
  public static void replace(FileSystem fs, Path tmp, Path target) throws IOException {
    if (fs.exists(target) && !fs.delete(target, true)) {
      throw new IOException("cannot replace " + target);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
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
   */
  public static FSDataOutputStream append(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
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

  /** Writes UTF-8 text to {@code target} atomically. */
  public static void writeString(Path target, Configuration conf, String text) throws IOException {
    writeAtomically(target, conf, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Reads a whole (small) file as UTF-8 text. */
  public static String readString(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
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
