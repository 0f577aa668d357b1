package org.ttcspark.model.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few pickle opcodes (protocol 2) that PyTorch's files need, for both {@code torch.save}'s
 * state dicts and TorchScript archives: both unpickle tensors from the same reduction onto
 * storages kept beside the pickle in the zip.
 */
final class Pickle {
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

  /** A pickle that starts with the protocol-2 header. */
  Pickle() {
    op(0x80).op(2);
  }

  Pickle op(int code) {
    buf.write(code);
    return this;
  }

  Pickle global(String module, String name) {
    buf.write('c');
    byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
    buf.write(b, 0, b.length);
    return this;
  }

  Pickle unicode(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    buf.write('X');
    int4(b.length);
    buf.write(b, 0, b.length);
    return this;
  }

  Pickle integer(long v) {
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("integer out of range for the pickle: " + v);
    }
    buf.write('J');
    int4((int) v);
    return this;
  }

  Pickle bool(boolean v) {
    return op(v ? 0x88 : 0x89);
  }

  /** A tuple of non-negative integers. */
  Pickle longs(long[] values) {
    if (values.length == 0) {
      return op(')');
    }
    op('(');
    for (long v : values) {
      integer(v);
    }
    return op('t');
  }

  /**
   * A contiguous tensor over the whole storage {@code key} ({@code data/<key>} in the zip),
   * as {@code torch._utils._rebuild_tensor_v2} rebuilds it.
   */
  Pickle tensor(String key, StateDict.Entry t, boolean requiresGrad) {
    boolean isLong = t.longs() != null;
    long numel = isLong ? t.longs().length : t.floats().length;
    global("torch._utils", "_rebuild_tensor_v2").op('(');
    op('(').unicode("storage").global("torch", isLong ? "LongStorage" : "FloatStorage")
        .unicode(key).unicode("cpu").integer(numel).op('t').op('Q');
    integer(0);
    longs(t.shape());
    longs(strides(t.shape()));
    bool(requiresGrad);
    global("collections", "OrderedDict").op(')').op('R');
    return op('t').op('R');
  }

  /** The pickle, ended with STOP. */
  byte[] end() {
    op('.');
    return buf.toByteArray();
  }

  private static long[] strides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  private void int4(int v) {
    buf.write(v & 0xff);
    buf.write((v >>> 8) & 0xff);
    buf.write((v >>> 16) & 0xff);
    buf.write((v >>> 24) & 0xff);
  }
}
