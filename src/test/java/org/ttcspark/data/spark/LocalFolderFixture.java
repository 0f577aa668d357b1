package org.ttcspark.data.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;

/** Base of the prepare tests that generate sources in a fresh local folder per test. */
abstract class LocalFolderFixture {
  static final Configuration LOCAL = new Configuration();

  @TempDir
  java.nio.file.Path dir;

  /** A path inside the test's folder, as a plain local path string. */
  String path(String name) {
    return dir.resolve(name).toString();
  }
}
