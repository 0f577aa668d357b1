package org.ttcspark.data.npy;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads NumPy {@code .npz} archives (as {@code numpy.savez} and {@code savez_compressed} write
 * them: a zip file with one {@code <name>.npy} member per array) from any Hadoop path, streaming
 * through the archive once. Each member is read whole with {@link Npy}, so one array must stay
 * under 2 GiB.
 */
public final class Npz {
  private Npz() {}

  /**
   * Reads the named arrays (member names without {@code .npy}); other members are skipped
   * without being held in memory.
   *
   * @return name → array, for the wanted names present in the archive (a missing name is
   *     absent from the map: the caller decides how to report it)
   */
  public static Map<String, NpyArray> read(Path path, Configuration conf, Set<String> wanted)
      throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException(path + " does not exist; check the .npz path");
    }
    Map<String, NpyArray> out = new LinkedHashMap<>();
    try (InputStream raw = fs.open(path); ZipInputStream zip = new ZipInputStream(raw)) {
      return read(path, zip, wanted, out);
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      throw damaged(path, e);
    }
  }

  private static Map<String, NpyArray> read(Path path, ZipInputStream zip, Set<String> wanted,
      Map<String, NpyArray> out) throws IOException {
    boolean any = false;
    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
      any = true;
      String name = e.getName().endsWith(".npy")
          ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
      if (wanted.contains(name)) {
        out.put(name, Npy.read(zip, path.getName() + ":" + name));
      }
    }
    if (!any) {
      throw new IllegalArgumentException(path + " is not a .npz archive (no zip members); "
          + "write it with numpy.savez");
    }
    return out;
  }

  /** The names of the archive's members (without {@code .npy}), in archive order. */
  public static Set<String> members(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    Set<String> names = new java.util.LinkedHashSet<>();
    try (InputStream raw = fs.open(path); ZipInputStream zip = new ZipInputStream(raw)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        names.add(e.getName().replaceFirst("\\.npy$", ""));
      }
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      throw damaged(path, e);
    }
    return names;
  }

  /** A truncated or corrupt archive: the file and the fix, not the zip library's words. */
  private static IllegalArgumentException damaged(Path path, IOException e) {
    return new IllegalArgumentException(path + " is truncated or damaged (" + e.getMessage()
        + "); download it again or write it again with numpy.savez", e);
  }
}
