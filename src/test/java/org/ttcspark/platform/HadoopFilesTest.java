package org.ttcspark.platform;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HadoopFiles} on the local file system; {@code HadoopFilesHdfsTest} repeats it on HDFS. */
class HadoopFilesTest {
  @TempDir
  Path dir;

  /** Unqualified, as run folders usually are: listings then return other spellings. */
  private org.apache.hadoop.fs.Path folder() {
    return new org.apache.hadoop.fs.Path(dir.toString());
  }

  @Test
  void issue14_replaceStoppedBetweenAnyTwoStepsLeavesAWholeVersion() throws Exception {
    HadoopFilesCases.crashAtEveryStepLeavesAWholeVersion(folder(), new Configuration());
  }

  @Test
  void issue14_leftoversOfAKilledReplaceAreResolvedByTheNextRun() throws Exception {
    HadoopFilesCases.leftoversOfAKillAreResolved(folder(), new Configuration());
  }

  @Test
  void issue14_appendCutsATornLastLine() throws Exception {
    HadoopFilesCases.appendCutsATornLastLine(folder(), new Configuration());
  }
}
