package org.ttcspark.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reads files NumPy wrote (src/test/resources/npy, see its README) and writes what NumPy writes. */
class NpyTest {
  private static NpyArray resource(String file) throws IOException {
    try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + file)) {
      return Npy.read(in, file);
    }
  }

  private static byte[] resourceBytes(String file) throws IOException {
    try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + file)) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsFloat32MatrixWrittenByNumpy() throws IOException {
    NpyArray a = resource("f4_2x3.npy");
    assertEquals(NpyArray.DType.FLOAT32, a.dtype());
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, a.floats());
  }

  @Test
  void readsFloat64IntegersScalarsUint8AndBool() throws IOException {
    assertArrayEquals(new double[] {0.1, -2.5, 1e-300}, resource("f8_vec.npy").doubles());
    assertArrayEquals(new long[] {0, 1, 1, 0}, resource("i8_labels.npy").longs());
    NpyArray scalar = resource("i4_scalar.npy");
    assertEquals(0, scalar.rank());
    assertArrayEquals(new long[] {7}, scalar.longs());
    NpyArray images = resource("u1_images.npy");
    assertArrayEquals(new int[] {1, 2, 2}, images.shape());
    assertArrayEquals(new float[] {0, 255, 128, 7}, images.floats());
    assertArrayEquals(new long[] {1, 0, 1}, resource("b1.npy").longs());
  }

  @Test
  void readsFormatVersion2() throws IOException {
    assertArrayEquals(new float[] {1.5f, -1f}, resource("v2_f4.npy").floats());
  }

  @Test
  void writesTheSameBytesAsNumpy() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, 2, 3);
    assertArrayEquals(resourceBytes("f4_2x3.npy"), out.toByteArray());
    out.reset();
    Npy.writeLongs(out, new long[] {0, 1, 1, 0}, 4);
    assertArrayEquals(resourceBytes("i8_labels.npy"), out.toByteArray());
    out.reset();
    Npy.writeDoubles(out, new double[] {0.1, -2.5, 1e-300}, 3);
    assertArrayEquals(resourceBytes("f8_vec.npy"), out.toByteArray());
  }

  @Test
  void roundTripsThroughAHadoopPath(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("x.npy");
    try (var out = Files.newOutputStream(file)) {
      Npy.write(out, new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
    }
    NpyArray a = Npy.read(new org.apache.hadoop.fs.Path(file.toUri()),
        new org.apache.hadoop.conf.Configuration());
    assertArrayEquals(new int[] {2, 2, 2}, a.shape());
    assertEquals(8f, a.floats()[7]);
  }

  @Test
  void rejectsBigEndianWithTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resource("big_endian.npy"));
    assertTrue(e.getMessage().contains("big_endian.npy") && e.getMessage().contains("'>f4'")
        && e.getMessage().contains("newbyteorder"), e.getMessage());
  }

  @Test
  void rejectsFortranOrderAndUnsupportedDtypes() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> resource("fortran.npy"))
        .getMessage().contains("Fortran order"));
    IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
        () -> resource("f2.npy"));
    assertTrue(half.getMessage().contains("'<f2'") && half.getMessage().contains("float32"),
        half.getMessage());
  }

  @Test
  void rejectsTruncatedAndForeignFiles() throws IOException {
    byte[] full = resourceBytes("f4_2x3.npy");
    byte[] cut = Arrays.copyOf(full, full.length - 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"));
    assertTrue(e.getMessage().contains("cut.npy is truncated"), e.getMessage());
    IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
        () -> Npy.read(new ByteArrayInputStream("hello, world".getBytes()), "text.npy"));
    assertTrue(foreign.getMessage().contains("not a .npy file"), foreign.getMessage());
  }

  @Test
  void refusesToTruncateFloatsToIntegers() throws IOException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> resource("f4_2x3.npy").longs());
    assertTrue(e.getMessage().contains("integer dtype"), e.getMessage());
  }
}
