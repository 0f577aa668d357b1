package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * {@code s3a://} paths need Hadoop's S3A connector and the AWS SDK it was built against on the
 * class path of the driver and the executors. No S3-compatible server can run here, so this
 * checks the configuration path only: the scheme resolves to the connector of the Hadoop
 * client's own version.
 */
class S3aConnectorTest {
  @Test
  void issue17_s3aSchemeResolvesToTheS3aConnectorOfTheHadoopClientsVersion() throws IOException, ClassNotFoundException {
    Class<? extends FileSystem> s3a = FileSystem.getFileSystemClass("s3a", new Configuration());
    assertEquals("org.apache.hadoop.fs.s3a.S3AFileSystem", s3a.getName());
    String jar = s3a.getProtectionDomain().getCodeSource().getLocation().getPath();
    String hadoop = org.apache.hadoop.util.VersionInfo.getVersion();
    assertTrue(jar.endsWith("hadoop-aws-" + hadoop + ".jar"), jar + " for Hadoop " + hadoop);
    // The AWS SDK classes the connector's constructor path needs are loadable.
    assertEquals("com.amazonaws.services.s3.AmazonS3Client",
        Class.forName("com.amazonaws.services.s3.AmazonS3Client", false,
            getClass().getClassLoader()).getName());
  }
}
