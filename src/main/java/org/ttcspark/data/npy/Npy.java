package org.ttcspark.data.npy;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0; see
 * numpy.lib.format): little-endian float32, float64, int32, int64, uint8 and bool arrays in C
 * order. Anything else (big-endian, Fortran order, other dtypes, object arrays) is rejected with
 * a message naming the file, what it holds and how to re-save it.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final long MAX_BYTES = Integer.MAX_VALUE - 16;

  private Npy() {}

  /** Reads an array from a Hadoop path (local, hdfs://, s3a://, ...). */
  public static NpyArray read(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException(path + " does not exist; check the .npy path");
    }
    try (FSDataInputStream in = fs.open(path)) {
      return read(in, path.toString());
    }
  }

  /**
   * Reads one array from {@code in} (consumes exactly the array's bytes).
   *
   * @param name the file or archive member, for error messages
   */
  public static NpyArray read(InputStream in, String name) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = new byte[8];
    try {
      data.readFully(magic);
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " is not a .npy file: it is shorter than the "
          + "8-byte NPY preamble (truncated?); copy or write the file again");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new IllegalArgumentException(name + " is not a .npy file (no \\x93NUMPY magic); "
            + "write it with numpy.save");
      }
    }
    int major = magic[6];
    long headerLength;
    if (major == 1) {
      headerLength = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
    } else if (major == 2 || major == 3) {
      headerLength = Integer.toUnsignedLong(Integer.reverseBytes(data.readInt()));
    } else {
      throw new IllegalArgumentException(name + " uses .npy format version " + major + "."
          + magic[7] + "; versions 1, 2 and 3 are supported");
    }
    if (headerLength > 1 << 20) {
      throw new IllegalArgumentException(name + " has an implausible .npy header length "
          + headerLength);
    }
    byte[] header = new byte[(int) headerLength];
    try {
      data.readFully(header);
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " is truncated inside its .npy header; copy or "
          + "write the file again");
    }
    String dict = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyArray.DType dtype = dtype(name, field(name, dict, DESCR, "descr"));
    if (field(name, dict, FORTRAN, "fortran_order").equals("True")) {
      throw new IllegalArgumentException(name + " is stored in Fortran order; re-save it in C "
          + "order, e.g. numpy.save(f, numpy.ascontiguousarray(a))");
    }
    int[] shape = shape(name, field(name, dict, SHAPE, "shape"));
    long bytes = NpyArray.elementCount(shape) * dtype.size();
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(name + " holds " + bytes + " bytes; arrays over 2 GiB "
          + "are not supported: split it into several files");
    }
    byte[] payload = new byte[(int) bytes];
    try {
      data.readFully(payload);
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " is truncated: its header promises " + bytes
          + " bytes of data; copy or write the file again");
    }
    return new NpyArray(name, dtype, shape, payload);
  }

  /** Writes float32 data of the given shape (C order). */
  public static void write(OutputStream out, float[] values, int... shape) throws IOException {
    checkCount(values.length, shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    write(out, new NpyArray("output", NpyArray.DType.FLOAT32, shape, b.array()));
  }

  /** Writes float64 data of the given shape (C order). */
  public static void writeDoubles(OutputStream out, double[] values, int... shape)
      throws IOException {
    checkCount(values.length, shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    write(out, new NpyArray("output", NpyArray.DType.FLOAT64, shape, b.array()));
  }

  /** Writes int64 data of the given shape (C order). */
  public static void writeLongs(OutputStream out, long[] values, int... shape) throws IOException {
    checkCount(values.length, shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    write(out, new NpyArray("output", NpyArray.DType.INT64, shape, b.array()));
  }

  /** Writes an array as format version 1.0 (2.0 if the header needs it), 64-byte aligned. */
  public static void write(OutputStream out, NpyArray array) throws IOException {
    StringBuilder dims = new StringBuilder();
    int[] shape = array.shape();
    for (int i = 0; i < shape.length; i++) {
      dims.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
    }
    String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': ("
        + dims + "), }";
    boolean v2 = dict.length() + 12 > 65535;
    int preamble = v2 ? 12 : 10;
    int padded = ((preamble + dict.length() + 1 + 63) / 64) * 64;
    StringBuilder header = new StringBuilder(dict);
    while (preamble + header.length() + 1 < padded) {
      header.append(' ');
    }
    header.append('\n');
    byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
    out.write(MAGIC);
    out.write(v2 ? 2 : 1);
    out.write(0);
    if (v2) {
      out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
    } else {
      out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) h.length)
          .array());
    }
    out.write(h);
    out.write(array.data());
  }

  private static void checkCount(int n, int[] shape) {
    if (NpyArray.elementCount(shape) != n) {
      throw new IllegalArgumentException("cannot write " + n + " values as shape "
          + java.util.Arrays.toString(shape));
    }
  }

  private static String field(String name, String dict, Pattern p, String key) {
    Matcher m = p.matcher(dict);
    if (!m.find()) {
      throw new IllegalArgumentException(name + " has a .npy header without a valid '" + key
          + "' entry: " + dict.trim());
    }
    return m.group(1);
  }

  private static NpyArray.DType dtype(String name, String descr) {
    String d = descr.equals("<u1") || descr.equals("u1") ? "|u1"
        : descr.equals("<b1") || descr.equals("b1") || descr.equals("?") ? "|b1"
        : descr;
    for (NpyArray.DType t : NpyArray.DType.values()) {
      if (t.descr().equals(d)) {
        return t;
      }
    }
    String hint = descr.startsWith(">")
        ? "it is big-endian; re-save with a.astype(a.dtype.newbyteorder('<'))"
        : "supported are float32, float64, int32, int64, uint8 and bool; convert with a.astype(...)";
    throw new IllegalArgumentException(name + " has dtype '" + descr + "': " + hint);
  }

  private static int[] shape(String name, String text) {
    List<Integer> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String t = part.trim().toLowerCase(Locale.ROOT).replace("l", "");
      if (t.isEmpty()) {
        continue;
      }
      try {
        dims.add(Integer.parseInt(t));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " has an unreadable .npy shape (" + text + ")");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }
}
