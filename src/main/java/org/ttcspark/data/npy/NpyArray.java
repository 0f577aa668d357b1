package org.ttcspark.data.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An n-dimensional array read from a NumPy {@code .npy} file: its dtype, shape (C order) and the
 * raw little-endian element bytes. Accessors convert to Java arrays on demand; integer dtypes
 * convert to floating point exactly where the value allows, and {@link #longs()} rejects
 * floating-point arrays rather than truncating them.
 *
 * @param name where the array came from (file name or archive member), for error messages
 * @param dtype element type
 * @param shape dimensions, outermost first; empty for a scalar
 * @param data the elements, little-endian, C order; {@code product(shape) * dtype.size()} bytes
 */
public record NpyArray(String name, DType dtype, int[] shape, byte[] data) {

  /** The element types ttc-spark reads and writes. */
  public enum DType {
    FLOAT32("<f4", 4), FLOAT64("<f8", 8), INT32("<i4", 4), INT64("<i8", 8), UINT8("|u1", 1),
    BOOL("|b1", 1);

    private final String descr;
    private final int size;

    DType(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }

    /** NumPy's {@code descr} string, e.g. {@code <f4}. */
    public String descr() {
      return descr;
    }

    /** Bytes per element. */
    public int size() {
      return size;
    }

    boolean isFloating() {
      return this == FLOAT32 || this == FLOAT64;
    }
  }

  public NpyArray {
    shape = shape.clone();
    long n = elementCount(shape);
    if (n * dtype.size() != data.length) {
      throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " of "
          + dtype.descr() + " needs " + n * dtype.size() + " bytes but " + data.length
          + " are present");
    }
  }

  /** Number of elements, the product of the shape. */
  public int size() {
    return (int) elementCount(shape);
  }

  /** The first dimension (1 for a scalar). */
  public int rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The elements as float32 (float64 input is rounded; integers converted). */
  public float[] floats() {
    ByteBuffer b = buffer();
    float[] out = new float[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) element(b, i);
    }
    return out;
  }

  /** The elements as float64. */
  public double[] doubles() {
    ByteBuffer b = buffer();
    double[] out = new double[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = element(b, i);
    }
    return out;
  }

  /**
   * The elements as integers.
   *
   * @throws IllegalArgumentException for a floating-point array: labels and ids must be stored
   *     as integers, and silently truncating 0.7 to 0 would hide a wrong file
   */
  public long[] longs() {
    if (dtype.isFloating()) {
      throw new IllegalArgumentException(name + " holds " + dtype.descr()
          + " (floating point) where integers are expected; save it with an integer dtype, "
          + "e.g. numpy.save(f, a.astype(numpy.int64))");
    }
    ByteBuffer b = buffer();
    long[] out = new long[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) element(b, i);
    }
    return out;
  }

  /** The raw element bytes (for uint8 images), not a copy. */
  public byte[] bytes() {
    return data;
  }

  private ByteBuffer buffer() {
    return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  private double element(ByteBuffer b, int i) {
    switch (dtype) {
      case FLOAT32: return b.getFloat(i * 4);
      case FLOAT64: return b.getDouble(i * 8);
      case INT32: return b.getInt(i * 4);
      case INT64: return b.getLong(i * 8);
      case UINT8: return b.get(i) & 0xff;
      default: return b.get(i) != 0 ? 1 : 0;
    }
  }

  static long elementCount(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
