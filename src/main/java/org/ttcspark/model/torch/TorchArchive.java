package org.ttcspark.model.torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The zip container PyTorch writes both {@code torch.save} files and TorchScript archives in:
 * every record under one folder ({@code archive/}), stored uncompressed, tensor storages as
 * little-endian bytes under {@code data/<key>}.
 */
final class TorchArchive {
  private static final String FOLDER = "archive/";
  private final ZipOutputStream zip;

  TorchArchive(OutputStream out) {
    zip = new ZipOutputStream(out);
    zip.setMethod(ZipOutputStream.STORED);
  }

  /** Adds the record {@code name} (relative to the archive's folder). */
  void add(String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(FOLDER + name);
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

  /** Adds the storage of {@code t} as {@code data/<key>}. */
  void storage(String key, StateDict.Entry t) throws IOException {
    boolean isLong = t.longs() != null;
    int numel = isLong ? t.longs().length : t.floats().length;
    ByteBuffer b = ByteBuffer.allocate(numel * (isLong ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    if (isLong) {
      b.asLongBuffer().put(t.longs());
    } else {
      b.asFloatBuffer().put(t.floats());
    }
    add("data/" + key, b.array());
  }

  /** Writes the zip's directory; the stream stays open. */
  void finish() throws IOException {
    zip.finish();
  }
}
