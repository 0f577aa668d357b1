package org.ttcspark.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;

/**
 * {@code metrics.jsonl}, a training run's log of one JSON object per line, as a file: where it
 * is, how a (resumed) run appends to it and how every consumer (report, bench, sweep) reads it.
 * A run killed while writing leaves a torn last line: appending cuts it first, and readers skip
 * it with a warning, since it is the expected trace of a crash. A damaged line anywhere else
 * is not: it stops the reader with the file, the line number and the fix.
 */
public final class MetricsLogFile {
  /** The log's file name inside a run folder. */
  public static final String NAME = "metrics.jsonl";

  private static final Logger LOG = LoggerFactory.getLogger(MetricsLogFile.class);
  private static final int SHOWN = 60;

  private MetricsLogFile() {}

  /** The log of the run in {@code runFolder}. */
  public static Path in(Path runFolder) {
    return new Path(runFolder, NAME);
  }

  /**
   * Opens the log for appending (created if missing), first cutting a torn last line.
   * Not closed here; see {@link HadoopFiles#append}.
   */
  public static OutputStream append(Path runFolder, Configuration conf) throws IOException {
    return HadoopFiles.append(in(runFolder), conf);
  }

  /**
   * Every JSON object of {@code file} in order; empty if the file is missing.
   *
   * @throws IllegalStateException naming file and line if a line other than a torn last one is
   *     not a JSON object
   */
  public static List<JsonNode> read(Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) {
      return List.of();
    }
    return parse(HadoopFiles.readString(file, conf), file.toString());
  }

  /**
   * Parses the text of a log; {@code where} names it in messages.
   *
   * @throws IllegalStateException naming the line if one other than a torn last one is damaged
   */
  public static List<JsonNode> parse(String text, String where) {
    String[] lines = text.split("\n", -1);
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      boolean last = i == lines.length - 1; // no newline after it: the writer stopped mid-line
      JsonNode node = object(line);
      if (node != null) {
        out.add(node);
      } else if (last) {
        LOG.warn("{}:{}: skipped a torn last line ('{}'), left by a run that was killed while "
            + "writing; a resumed run cuts it", where, i + 1, shown(line));
      } else {
        throw new IllegalStateException(where + ":" + (i + 1) + ": not a JSON object ('"
            + shown(line) + "'); the log is damaged: delete that line (or restore the file) "
            + "and run the command again");
      }
    }
    return out;
  }

  /** The line's JSON object, or null if it is not exactly one (two glued lines are not). */
  private static JsonNode object(String line) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(line)) {
      JsonNode n = Json.MAPPER.readTree(p);
      return n != null && n.isObject() && p.nextToken() == null ? n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String shown(String line) {
    return line.length() <= SHOWN ? line : line.substring(0, SHOWN) + "...";
  }
}
