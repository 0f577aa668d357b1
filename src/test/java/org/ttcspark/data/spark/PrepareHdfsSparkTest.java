package org.ttcspark.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.data.Columns;
import org.ttcspark.data.Images;
import org.ttcspark.data.Manifest;
import org.ttcspark.data.SourceFiles;
import org.ttcspark.data.npy.NpyArray;
import org.ttcspark.testing.MiniHdfs;
import org.ttcspark.testing.SparkTestSession;

/** prepare from and to hdfs:// paths on Hadoop's in-process mini cluster (one data node). */
@ExtendWith(SparkTestSession.class)
class PrepareHdfsSparkTest {
  private static MiniHdfs cluster;
  private static String hdfs;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = MiniHdfs.start();
    hdfs = cluster.uri();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void preparesMedmnistFromAndToHdfs(SparkSession spark) throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, NpyArray> arrays = SourceFiles.medmnist(new int[] {20, 6, 6}, 28, false,
        (s, i) -> i % 2, 1);
    SourceFiles.writeNpz(new Path(hdfs + "/in/pneumoniamnist.npz"), conf, arrays);
    String out = hdfs + "/prepared/pneumonia";
    Manifest m = PrepareFixture.prepare(spark, "dataset.source=medmnist",
        "dataset.path=" + hdfs + "/in/pneumoniamnist.npz", "dataset.prepared=" + out,
        "dataset.medmnist.flavour=pneumonia", "dataset.ratios=[0.1,0.9]");
    assertEquals(Map.of("0", 1L, "1", 9L), m.counts().get(Columns.TRAIN));
    List<Row> rows = PrepareFixture.rows(spark, out);
    assertEquals(m.count(Columns.TRAIN) + m.count(Columns.VAL) + m.count(Columns.TEST),
        rows.size());
    for (Row r : rows) {
      String id = r.getAs(Columns.ID);
      int i = Integer.parseInt(id.substring(id.indexOf('[') + 1, id.indexOf(']')));
      byte[] all = arrays.get(r.getAs(Columns.SPLIT) + "_images").bytes();
      assertArrayEquals(Arrays.copyOfRange(all, i * 784, (i + 1) * 784),
          Images.decode(r.getAs(Columns.IMAGE)).pixels());
    }
    FileSystem fs = new Path(out).getFileSystem(conf);
    assertTrue(fs.exists(new Path(out, Columns.MANIFEST)));
    assertTrue(fs.exists(new Path(out, "split=train")));
    assertFalse(Arrays.stream(fs.listStatus(new Path(hdfs + "/prepared")))
        .anyMatch(s -> s.getPath().getName().startsWith(".")), "temporary folder renamed");
  }
}
