package org.ttcspark.platform;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * What a run folder holds before a command writes into it, read once so that the command can
 * refuse (naming what it found) before anything is written.
 *
 * @param path the run folder
 * @param entries names of its entries, sorted; empty when the folder does not exist
 */
public record RunFolderState(Path path, List<String> entries) {
  public RunFolderState {
    entries = List.copyOf(entries);
  }

  /** Lists {@code path}; a missing folder is an empty one. */
  public static RunFolderState read(Path path, Configuration hadoop) throws IOException {
    List<String> names = new ArrayList<>();
    try {
      for (FileStatus s : path.getFileSystem(hadoop).listStatus(path)) {
        names.add(s.getPath().getName());
      }
    } catch (FileNotFoundException missing) {
      return new RunFolderState(path, List.of());
    }
    names.sort(null);
    return new RunFolderState(path, names);
  }

  /**
   * The entries that are a training run's history: everything but the stages' own records
   * ({@code stages/}, written by prepare, embed, probe, ... before or after a training).
   */
  public List<String> history() {
    return entries.stream().filter(e -> !e.equals(RunFolder.STAGES)).toList();
  }

  /** True when a training run (finished, partial or crashed) has written here. */
  public boolean holdsRun() {
    return !history().isEmpty();
  }
}
