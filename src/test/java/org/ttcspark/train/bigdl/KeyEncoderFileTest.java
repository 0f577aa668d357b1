package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PaCo's {@code key-encoder.bin}: written in the plain model's layout (which every engine
 * reads), and a file of an earlier version, in the writing engine's layout, still read as such.
 */
class KeyEncoderFileTest {
  @TempDir
  java.nio.file.Path tmp;

  @Test
  void writtenInThePlainLayoutAndReadBack() throws Exception {
    Configuration conf = new Configuration();
    Path folder = new Path(tmp.toUri());
    assertNull(RunFiles.readKeyEncoder(folder, conf), "no file, no key encoder");
    float[] w = {1.5f, -2f, 0f, 3.25f};
    RunFiles.writeKeyEncoder(folder, conf, w);
    RunFiles.KeyEncoder back = RunFiles.readKeyEncoder(folder, conf);
    assertArrayEquals(w, back.weights());
    assertTrue(back.plainLayout());
  }

  @Test
  void anEarlierFileIsInTheTrainingLayout() throws Exception {
    try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(
        tmp.resolve(RunFiles.KEY_ENCODER)))) {
      out.writeInt(3);
      for (float v : new float[] {4f, 5f, 6f}) {
        out.writeFloat(v);
      }
    }
    RunFiles.KeyEncoder back = RunFiles.readKeyEncoder(new Path(tmp.toUri()),
        new Configuration());
    assertArrayEquals(new float[] {4f, 5f, 6f}, back.weights());
    assertFalse(back.plainLayout());
  }
}
