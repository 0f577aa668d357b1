package org.ttcspark.data.idx;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads unsigned-byte IDX files, the format of MNIST and Fashion-MNIST (LeCun et al., "The MNIST
 * database", yann.lecun.com/exdb/mnist): a big-endian magic {@code 0x00 0x00 0x08 d} (type
 * unsigned byte, d dimensions), d big-endian int32 sizes, then the bytes in row-major order.
 * Gzipped files are recognised by their first two bytes, whatever their name, so a user may
 * unpack the files or not.
 */
public final class Idx {
  /** The magic of an unsigned-byte array of rank 1 (labels). */
  public static final int LABELS_MAGIC = 0x00000801;
  /** The magic of an unsigned-byte array of rank 3 (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  private static final int GZIP_FIRST = 0x1f;
  private static final int GZIP_SECOND = 0x8b;

  private Idx() {}

  /**
   * An unsigned-byte IDX array.
   *
   * @param shape the sizes, e.g. {@code [N]} for labels, {@code [N, rows, cols]} for images
   * @param bytes the values in row-major order, or null when only the header was read
   */
  public record Array(int[] shape, byte[] bytes) {
    /** The number of items (the first size). */
    public int count() {
      return shape[0];
    }

    /** Bytes per item (the product of the other sizes). */
    public int itemBytes() {
      int n = 1;
      for (int i = 1; i < shape.length; i++) {
        n *= shape[i];
      }
      return n;
    }
  }

  /**
   * Wraps {@code in} in a gunzip stream when it starts with the gzip magic.
   *
   * @param in any stream; it is buffered, not closed
   */
  public static InputStream maybeGunzip(InputStream in) throws IOException {
    BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
    b.mark(2);
    int first = b.read();
    int second = b.read();
    b.reset();
    return first == GZIP_FIRST && second == GZIP_SECOND ? new GZIPInputStream(b, 1 << 16) : b;
  }

  /**
   * Reads an array whose magic must be {@code magic}.
   *
   * @param in the (already gunzipped) stream, positioned at the magic; not closed
   * @param name the file's name, for messages
   * @param withBytes false to read the header only
   * @throws IllegalArgumentException naming the file, when the magic differs, a size is
   *     negative, or the file ends before its declared size
   */
  public static Array read(InputStream in, String name, int magic, boolean withBytes)
      throws IOException {
    DataInputStream data = new DataInputStream(in);
    int found;
    try {
      found = data.readInt();
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " is empty or shorter than an IDX header; "
          + "replace it with the original file");
    }
    if (found != magic) {
      throw new IllegalArgumentException(String.format("%s has magic number 0x%08x but an IDX "
          + "%s file has 0x%08x; check that the file is the right one (images vs labels) and "
          + "is the original or its gzip", name, found, magic == IMAGES_MAGIC ? "images" : "labels",
          magic));
    }
    int[] shape = new int[magic & 0xff];
    long total = 1;
    try {
      for (int i = 0; i < shape.length; i++) {
        shape[i] = data.readInt();
        if (shape[i] < 0) {
          throw new IllegalArgumentException(name + " declares size " + shape[i]
              + " for dimension " + i + "; the file is corrupt, replace it");
        }
        total *= shape[i];
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " ends inside its IDX header; the file is "
          + "truncated, replace it with the original");
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(name + " declares " + total + " bytes, more than one "
          + "array can hold (2 GiB)");
    }
    if (!withBytes) {
      return new Array(shape, null);
    }
    byte[] bytes = new byte[(int) total];
    try {
      data.readFully(bytes);
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " declares " + total + " bytes of data but "
          + "ends before them; the file is truncated, replace it with the original");
    }
    return new Array(shape, bytes);
  }
}
