package org.ttcspark.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code .npy} files written and read byte by byte after the NPY format specification
 * (numpy.lib.format, version 1.0), independently of the project's own reader and writer: magic
 * {@code \x93NUMPY}, version 1.0, a little-endian uint16 header length, a Python dict literal
 * padded with spaces and ended by '\n' so that the data starts at a multiple of 64 bytes, then
 * the little-endian values in C order.
 */
final class NpyBytes {
  /** A parsed file: dtype descr, shape and the values as doubles. */
  record Array(String descr, int[] shape, double[] values) {}

  private NpyBytes() {}

  /** Writes {@code values} with dtype {@code <f4}, {@code <f8}, {@code <i4} or {@code <i8}. */
  static Path write(Path file, String descr, double[] values, int... shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int s : shape) {
      dims.append(s).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
        : "(" + dims.substring(0, dims.length() - 2) + ")";
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText
        + ", }";
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    int size = descr.endsWith("4") ? 4 : 8;
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * size)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1)
        .put((byte) 0).putShort((short) header.length())
        .put(header.getBytes(StandardCharsets.US_ASCII));
    for (double v : values) {
      switch (descr) {
        case "<f4" -> b.putFloat((float) v);
        case "<f8" -> b.putDouble(v);
        case "<i4" -> b.putInt((int) v);
        case "<i8" -> b.putLong((long) v);
        default -> throw new IllegalArgumentException(descr);
      }
    }
    Files.write(file, b.array());
    return file;
  }

  private static final Pattern DESCR = Pattern.compile("'descr': '([^']+)'");
  private static final Pattern SHAPE = Pattern.compile("'shape': \\(([^)]*)\\)");

  /** Reads a version 1.0 little-endian float file. */
  static Array read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[6];
    b.get(magic);
    if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII)
        .equals("NUMPY")) {
      throw new IllegalStateException(file + " lacks the NPY magic");
    }
    int major = b.get();
    b.get();
    int headerLength = major == 1 ? b.getShort() & 0xffff : b.getInt();
    byte[] header = new byte[headerLength];
    b.get(header);
    String h = new String(header, StandardCharsets.US_ASCII);
    if (b.position() % 64 != 0 || !h.endsWith("\n") || !h.contains("'fortran_order': False")) {
      throw new IllegalStateException(file + " has a malformed header: " + h);
    }
    Matcher d = DESCR.matcher(h);
    Matcher s = SHAPE.matcher(h);
    if (!d.find() || !s.find()) {
      throw new IllegalStateException(file + " header lacks descr or shape: " + h);
    }
    int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim)
        .filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
    int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = d.group(1).equals("<f4") ? b.getFloat() : b.getDouble();
    }
    if (b.hasRemaining()) {
      throw new IllegalStateException(file + " has " + b.remaining() + " bytes after the data");
    }
    return new Array(d.group(1), shape, values);
  }
}
