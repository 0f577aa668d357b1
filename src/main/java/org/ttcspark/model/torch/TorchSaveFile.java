package org.ttcspark.model.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict in {@code torch.save}'s file format, which {@code torch.load} reads
 * (also with {@code weights_only=True}): a zip archive of {@code archive/data.pkl} (a pickle,
 * protocol 2, of an {@code OrderedDict} whose tensors refer to storages by key),
 * {@code archive/data/<key>} (each storage's little-endian bytes), {@code archive/byteorder}
 * and {@code archive/version}. Written here so that no Python is needed to export.
 */
public final class TorchSaveFile {
  private TorchSaveFile() {}

  /** Writes {@code dict} to {@code out} (which it finishes, not closes). */
  public static void write(Map<String, StateDict.Entry> dict, OutputStream out)
      throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.setMethod(ZipOutputStream.STORED);
    Pickle p = new Pickle();
    p.op(0x80).op(2);
    p.global("collections", "OrderedDict").op(')').op('R');
    p.op('(');
    int key = 0;
    for (Map.Entry<String, StateDict.Entry> e : dict.entrySet()) {
      StateDict.Entry t = e.getValue();
      boolean isLong = t.longs() != null;
      long numel = isLong ? t.longs().length : t.floats().length;
      p.unicode(e.getKey());
      p.global("torch._utils", "_rebuild_tensor_v2").op('(');
      p.op('(').unicode("storage").global("torch", isLong ? "LongStorage" : "FloatStorage")
          .unicode(Integer.toString(key)).unicode("cpu").integer(numel).op('t').op('Q');
      p.integer(0);
      p.longs(t.shape());
      p.longs(strides(t.shape()));
      p.op(0x89);
      p.global("collections", "OrderedDict").op(')').op('R');
      p.op('t').op('R');
      ByteBuffer b = ByteBuffer.allocate((int) numel * (isLong ? 8 : 4))
          .order(ByteOrder.LITTLE_ENDIAN);
      if (isLong) {
        b.asLongBuffer().put(t.longs());
      } else {
        b.asFloatBuffer().put(t.floats());
      }
      entry(zip, "archive/data/" + key, b.array());
      key++;
    }
    p.op('u').op('.');
    entry(zip, "archive/data.pkl", p.bytes());
    entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    zip.finish();
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

  private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** The few pickle opcodes a state dict needs. */
  private static final class Pickle {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

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

    private void int4(int v) {
      buf.write(v & 0xff);
      buf.write((v >>> 8) & 0xff);
      buf.write((v >>> 16) & 0xff);
      buf.write((v >>> 24) & 0xff);
    }

    byte[] bytes() {
      return buf.toByteArray();
    }
  }
}
