package org.ttcspark.testing;

import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** Hadoop's in-process HDFS with one data node, its files under {@code target/}. */
public final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private MiniHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  /** Starts a fresh, formatted file system and waits until it serves. */
  public static MiniHdfs start() throws IOException {
    Configuration conf = new Configuration();
    File base = new File("target/minidfs-" + System.nanoTime()).getAbsoluteFile();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true)
        .build();
    cluster.waitActive();
    return new MiniHdfs(cluster);
  }

  /** {@code hdfs://localhost:port}, to which paths are appended. */
  public String uri() {
    return "hdfs://localhost:" + cluster.getNameNodePort();
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
