package org.ttcspark.metrics.spark;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.ttcspark.metrics.EmbeddingBlock;
import org.ttcspark.platform.HadoopFiles;

/**
 * The normalised blocks of one metrics job, one binary file per block in a scratch folder on
 * any Hadoop file system, so that every task can stream the column blocks it needs one at a
 * time without the driver ever holding them. Format (big-endian, {@code java.io.DataOutput}):
 * start, count, dim, has-subtypes (ints), labels, subtypes if present, then count x dim
 * float64 values row by row (read and written in bulk: every task reads every block).
 */
final class BlockFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String folder;
  private final SerializableWritable<Configuration> conf;

  BlockFiles(String folder, Configuration conf) {
    this.folder = folder;
    this.conf = new SerializableWritable<>(conf);
  }

  void write(int index, EmbeddingBlock block) throws IOException {
    HadoopFiles.writeAtomically(path(index), conf.value(), raw -> {
      DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16));
      out.writeInt(block.start());
      out.writeInt(block.count());
      out.writeInt(block.dim());
      out.writeInt(block.subtypes() == null ? 0 : 1);
      for (int l : block.labels()) {
        out.writeInt(l);
      }
      if (block.subtypes() != null) {
        for (int s : block.subtypes()) {
          out.writeInt(s);
        }
      }
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(block.values().length * 8);
      bytes.asDoubleBuffer().put(block.values());
      out.write(bytes.array());
      out.flush();
    });
  }

  EmbeddingBlock read(int index) throws IOException {
    Path p = path(index);
    try (FSDataInputStream raw = p.getFileSystem(conf.value()).open(p)) {
      DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16));
      int start = in.readInt();
      int count = in.readInt();
      int dim = in.readInt();
      boolean subtyped = in.readInt() == 1;
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = in.readInt();
      }
      int[] subtypes = subtyped ? new int[count] : null;
      for (int i = 0; subtyped && i < count; i++) {
        subtypes[i] = in.readInt();
      }
      byte[] bytes = new byte[count * dim * 8];
      in.readFully(bytes);
      double[] values = new double[count * dim];
      java.nio.ByteBuffer.wrap(bytes).asDoubleBuffer().get(values);
      return new EmbeddingBlock(start, dim, values, labels, subtypes);
    }
  }

  void delete() throws IOException {
    Path p = new Path(folder);
    p.getFileSystem(conf.value()).delete(p, true);
  }

  private Path path(int index) {
    return new Path(folder, String.format("block-%06d.bin", index));
  }
}
