package org.ttcspark.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.data.SourceFiles;

class NpzTest {
  /**
   * numpy 2.4.6: {@code np.savez(f, a=np.arange(6, dtype=np.uint8).reshape(2, 3),
   * b=np.array([[1], [0]], dtype=np.int64))}.
   */
  private static final String NUMPY_SAVEZ =
      "504b03042d0000000000000021007e9ed7cfffffffffffffffff05001400612e6e707901001000860000"
      + "00000000008600000000000000934e554d5059010076007b276465736372273a20277c7531272c202766"
      + "6f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2033292c207d2020"
      + "202020202020202020202020202020202020202020202020202020202020202020202020202020202020"
      + "20202020202020202020202020200a000102030405504b03042d000000000000002100896ea5baffffff"
      + "ffffffffff05001400622e6e70790100100090000000000000009000000000000000934e554d50590100"
      + "76007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a2046616c73652c"
      + "20277368617065273a2028322c2031292c207d2020202020202020202020202020202020202020202020"
      + "20202020202020202020202020202020202020202020202020202020202020202020200a010000000000"
      + "00000000000000000000504b01022d032d0000000000000021007e9ed7cf860000008600000005000000"
      + "0000000000000000800100000000612e6e7079504b01022d032d000000000000002100896ea5ba900000"
      + "00900000000500000000000000000000008001bd000000622e6e7079504b050600000000020002006600"
      + "0000840100000000";

  private static Map<String, NpyArray> sample() {
    Map<String, NpyArray> m = new LinkedHashMap<>();
    m.put("a", new NpyArray("a", NpyArray.DType.UINT8, new int[] {2, 3},
        new byte[] {0, 1, 2, 3, 4, 5}));
    byte[] longs = new byte[16];
    longs[0] = 1;
    m.put("b", new NpyArray("b", NpyArray.DType.INT64, new int[] {2, 1}, longs));
    return m;
  }

  @Test
  void testGeneratorWritesTheBytesNumpySavezWrites() throws Exception {
    assertEquals(NUMPY_SAVEZ, HexFormat.of().formatHex(SourceFiles.npz(sample())));
  }

  @Test
  void readsWantedMembersOfANumpyArchive(@TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("x.npz");
    Files.write(file, HexFormat.of().parseHex(NUMPY_SAVEZ));
    Path path = new Path(file.toUri());
    Map<String, NpyArray> read = Npz.read(path, new Configuration(), Set.of("b", "missing"));
    assertEquals(Set.of("b"), read.keySet());
    assertArrayEquals(new long[] {1, 0}, read.get("b").longs());
    assertArrayEquals(new int[] {2, 1}, read.get("b").shape());
    assertEquals(Set.of("a", "b"), Npz.members(path, new Configuration()));
  }

  @Test
  void readsDeflatedMembersAsSavezCompressedWritesThem(@TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("c.npz");
    try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(
        Files.newOutputStream(file))) {
      for (NpyArray a : sample().values()) {
        zip.putNextEntry(new java.util.zip.ZipEntry(a.name() + ".npy"));
        Npy.write(zip, a);
        zip.closeEntry();
      }
    }
    Map<String, NpyArray> read = Npz.read(new Path(file.toUri()), new Configuration(),
        Set.of("a", "b"));
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5}, read.get("a").bytes());
    assertArrayEquals(new long[] {1, 0}, read.get("b").longs());
  }

  @Test
  void rejectsAFileThatIsNotAZip(@TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("y.npz");
    Files.writeString(file, "not a zip");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Npz.read(new Path(file.toUri()), new Configuration(), Set.of("a")));
    assertTrue(e.getMessage().contains("not a .npz archive"));
  }

  @Test
  void issue14_aTruncatedArchiveIsNamedWithTheFixAtEveryCut(@TempDir java.nio.file.Path dir)
      throws Exception {
    for (boolean deflated : new boolean[] {false, true}) {
      java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
      try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(whole)) {
        for (NpyArray a : sample().values()) {
          java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(a.name() + ".npy");
          if (!deflated) {
            byte[] bytes = npy(a);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(bytes);
            entry.setMethod(java.util.zip.ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCrc(crc.getValue());
          }
          zip.putNextEntry(entry);
          Npy.write(zip, a);
          zip.closeEntry();
        }
      }
      byte[] bytes = whole.toByteArray();
      java.nio.file.Path file = dir.resolve("cut.npz");
      // every third cut and the last: headers, member data and the central directory
      for (int cut = 1; cut < bytes.length; cut += 3) {
        readCut(file, bytes, cut);
      }
      readCut(file, bytes, bytes.length - 1);
    }
  }

  private static final Configuration CONF = new Configuration();

  /** Reads the archive cut to {@code cut} bytes: whole members or one message with the fix. */
  private static void readCut(java.nio.file.Path file, byte[] bytes, int cut) throws Exception {
    Files.write(file, java.util.Arrays.copyOf(bytes, cut));
    try {
      // a cut inside the central directory leaves every member readable
      Npz.read(new Path(file.toUri()), CONF, Set.of("a", "b"));
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("cut.npz") && (e.getMessage().contains("again")
          || e.getMessage().contains("not a .npz archive")), cut + ": " + e.getMessage());
    }
  }

  private static byte[] npy(NpyArray a) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Npy.write(out, a);
    return out.toByteArray();
  }
}
