package org.ttcspark.data.idx;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files in the true format (big-endian header, raw bytes), optionally gzipped. */
public final class IdxFiles {
  private IdxFiles() {}

  /** An unsigned-byte IDX file with the given magic, sizes and data. */
  public static byte[] idx(int magic, int[] shape, byte[] data, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(bytes) : bytes)) {
      out.writeInt(magic);
      for (int size : shape) {
        out.writeInt(size);
      }
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** The pixel bytes of image {@code i} of a generated file: a fixed function of i. */
  public static byte[] image(int i, int side) {
    byte[] px = new byte[side * side];
    for (int p = 0; p < px.length; p++) {
      px[p] = (byte) (i * 31 + p * 7);
    }
    return px;
  }

  /** {@code n} generated images of {@code side}×{@code side}, image i = {@link #image}. */
  public static byte[] images(int n, int side) {
    byte[] all = new byte[n * side * side];
    for (int i = 0; i < n; i++) {
      System.arraycopy(image(i, side), 0, all, i * side * side, side * side);
    }
    return all;
  }
}
