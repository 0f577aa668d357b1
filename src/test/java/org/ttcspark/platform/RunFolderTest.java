package org.ttcspark.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.config.ConfigLoader;

class RunFolderTest {
  @TempDir
  Path dir;

  @Test
  void writesAResolvedConfigThatReloadsToTheSameValues() throws IOException {
    Config resolved = ConfigLoader.load(List.of(),
        List.of("run.dir=" + dir, "run.name=r1", "run.seed=7", "engine.type=mklblas"));
    RunFolder run = RunFolder.create("doctor", resolved, new Configuration());
    File saved = dir.resolve("r1").resolve(RunFolder.CONFIG).toFile();
    assertTrue(run.path().toString().endsWith("r1"), run.path().toString());
    Config again = ConfigLoader.load(List.of(saved), List.of());
    assertEquals(flatten(resolved), flatten(again));
    JsonNode p = Json.MAPPER.readTree(Files.readString(dir.resolve("r1/provenance.json")));
    assertEquals("doctor", p.get("command").asText());
    assertEquals(7, p.get("seed").asLong());
    assertEquals("2.4.8", p.get("spark").asText());
    assertEquals("0.13.0", p.get("bigdl").asText());
  }

  private static java.util.Map<String, String> flatten(Config c) {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    c.entrySet().forEach(e -> m.put(e.getKey(), String.valueOf(e.getValue().unwrapped())));
    return m;
  }

  @Test
  void atomicWriteLeavesTheOldFileWhenTheBodyFails() throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir.resolve("x.json").toUri());
    HadoopFiles.writeString(target, new Configuration(), "old");
    assertThrows(IOException.class, () -> HadoopFiles.writeAtomically(target, new Configuration(),
        out -> {
          out.write("half".getBytes());
          throw new IOException("disk full");
        }));
    assertEquals("old", Files.readString(dir.resolve("x.json")));
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")),
          "temporary file removed");
    }
  }

  @Test
  void defaultRunNameIsCommandAndTimestamp() {
    RunConfig run = RunConfig.from(ConfigFactory.parseString(
        "run { dir = runs, name = \"\", seed = 1, work-dir = w, overwrite = false }"));
    assertTrue(run.nameFor("pretrain").matches("pretrain-\\d{8}-\\d{6}"), run.nameFor("pretrain"));
  }
}
