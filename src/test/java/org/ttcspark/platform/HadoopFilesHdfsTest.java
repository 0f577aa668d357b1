package org.ttcspark.platform;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ttcspark.testing.MiniHdfs;

/** {@link HadoopFiles} on an in-process HDFS: renames, deletes and appends of a real name node. */
class HadoopFilesHdfsTest {
  private static MiniHdfs cluster;
  private static Configuration conf;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniHdfs.start();
    conf = new Configuration();
    // one data node: appending needs files with one replica
    conf.set("dfs.replication", "1");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Path folder(String name) {
    return new Path(cluster.uri() + "/" + name);
  }

  @Test
  void issue14_replaceStoppedBetweenAnyTwoStepsLeavesAWholeVersion() throws Exception {
    HadoopFilesCases.crashAtEveryStepLeavesAWholeVersion(folder("steps"), conf);
  }

  @Test
  void issue14_leftoversOfAKilledReplaceAreResolvedByTheNextRun() throws Exception {
    HadoopFilesCases.leftoversOfAKillAreResolved(folder("leftovers"), conf);
  }

  @Test
  void issue14_appendCutsATornLastLine() throws Exception {
    HadoopFilesCases.appendCutsATornLastLine(folder("log"), conf);
  }
}
