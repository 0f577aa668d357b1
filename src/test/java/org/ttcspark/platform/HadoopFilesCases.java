package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The checks of {@link HadoopFiles} shared by the local and the HDFS test: a replace stopped
 * between any two of its steps, and a line log with a torn last line.
 */
final class HadoopFilesCases {
  private HadoopFilesCases() {}

  /** Thrown by the step hook in place of a killed process (not caught by the code under test). */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;
  }

  /**
   * For each step: write "old", then replace it with "new" and stop at the step; the target (or
   * the aside copy that recovery restores) holds a whole version; the next write succeeds and
   * leaves no hidden file behind.
   */
  static void crashAtEveryStepLeavesAWholeVersion(Path dir, Configuration conf)
      throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    for (HadoopFiles.Step step : HadoopFiles.Step.values()) {
      Path target = new Path(dir, "result-" + step + ".json");
      HadoopFiles.writeString(target, conf, "old");
      HadoopFiles.step = s -> {
        if (s == step) {
          throw new Crash();
        }
      };
      try {
        assertThrows(Crash.class, () -> HadoopFiles.writeString(target, conf, "new"));
      } finally {
        HadoopFiles.step = s -> { };
      }
      // a reader after the crash sees a whole version (restored if it was aside)
      String seen = HadoopFiles.readString(target, conf);
      assertEquals(step == HadoopFiles.Step.NEW_IN ? "new" : "old", seen, "after " + step);
      // the next run resolves the leftovers
      HadoopFiles.writeString(target, conf, "next");
      assertEquals("next", HadoopFiles.readString(target, conf));
      assertEquals(List.of(), hiddenSiblings(fs, target), "after " + step);
    }
  }

  /**
   * The on-disk states a kill leaves (the temporary file is not cleaned up by a killed process):
   * target missing with an aside copy → restored; both present → the aside copy deleted; a
   * stale temporary file → deleted.
   */
  static void leftoversOfAKillAreResolved(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path target = new Path(dir, "checkpoint");
    Path aside = new Path(dir, ".checkpoint.old-123e4567-e89b-12d3-a456-426614174000");
    Path staleTmp = new Path(dir, ".checkpoint.123e4567-e89b-12d3-a456-426614174001.tmp");
    write(fs, new Path(aside, "model"), "old");
    write(fs, new Path(staleTmp, "model"), "half");
    assertTrue(HadoopFiles.recover(fs, target));
    assertEquals("old", HadoopFiles.readString(new Path(target, "model"), conf));
    assertEquals(List.of(), hiddenSiblings(fs, target));

    write(fs, new Path(aside, "model"), "older");
    Path tmp = HadoopFiles.temporarySibling(target);
    write(fs, new Path(tmp, "model"), "new");
    HadoopFiles.replace(fs, tmp, target);
    assertEquals("new", HadoopFiles.readString(new Path(target, "model"), conf));
    assertEquals(List.of(), hiddenSiblings(fs, target));
  }

  /** A line log whose writer was killed mid-line is cut back before the next append. */
  static void appendCutsATornLastLine(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path log = new Path(dir, "metrics.jsonl");
    write(fs, log, "{\"iteration\":1,\"loss\":2.5}\n{\"iteration\":2,\"lo");
    try (OutputStream out = HadoopFiles.append(log, conf)) {
      out.write("{\"iteration\":2,\"loss\":2.4}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals("{\"iteration\":1,\"loss\":2.5}\n{\"iteration\":2,\"loss\":2.4}\n",
        HadoopFiles.readString(log, conf));
    // a whole log is appended to as it is
    try (OutputStream out = HadoopFiles.append(log, conf)) {
      out.write("{\"iteration\":3,\"loss\":2.3}\n".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(3, HadoopFiles.readString(log, conf).split("\n").length);
    assertFalse(hiddenSiblings(fs, log).iterator().hasNext());
  }

  static void write(FileSystem fs, Path file, String text) throws IOException {
    try (FSDataOutputStream out = fs.create(file, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Hidden names beside {@code target} that belong to it (temporary or aside copies). */
  static List<String> hiddenSiblings(FileSystem fs, Path target) throws IOException {
    List<String> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(target.getParent())) {
      String n = s.getPath().getName();
      if (n.startsWith("." + target.getName()) && !n.endsWith(".crc")) {
        out.add(n);
      }
    }
    return out;
  }
}
