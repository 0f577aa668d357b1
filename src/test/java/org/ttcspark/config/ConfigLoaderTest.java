package org.ttcspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private File file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p.toFile();
  }

  @Test
  void aRetiredKeyOfAnOlderRunFolderIsIgnoredNotRefused() {
    ConfigLoader.Loaded loaded = ConfigLoader.loadCollecting(
        com.typesafe.config.ConfigFactory.empty(), List.of(),
        List.of("embed.batch-size=256", "run.seed=3"));
    assertEquals(List.of(), loaded.problems());
    assertEquals(3, loaded.config().getInt("run.seed"));
    assertEquals(false, loaded.config().hasPath("embed.batch-size"));
  }

  @Test
  void referenceDefaultsApplyWhenNothingIsGiven() {
    Config c = ConfigLoader.load(List.of(), List.of());
    assertEquals("runs", c.getString("run.dir"));
    assertEquals(42, c.getLong("run.seed"));
  }

  @Test
  void laterFilesOverrideEarlierAndCommandLineOverridesAll() throws IOException {
    File a = file("a.conf", "run { seed = 1, dir = from-a, name = a }");
    File b = file("b.conf", "run.seed = 2\nrun.dir = from-b");
    Config c = ConfigLoader.load(List.of(a, b), List.of("run.seed=3"));
    assertEquals(3, c.getLong("run.seed"));
    assertEquals("from-b", c.getString("run.dir"));
    assertEquals("a", c.getString("run.name"));
    assertEquals("ttc-spark", c.getString("spark.app-name"), "reference stays underneath");
  }

  @Test
  void aLaterKeyValueArgumentWinsOverAnEarlierOne() {
    Config c = ConfigLoader.load(List.of(), List.of("run.seed=1", "run.seed=2"));
    assertEquals(2, c.getLong("run.seed"));
  }

  @Test
  void unknownKeySuggestsTheNearestValidKey() throws IOException {
    File f = file("typo.conf", "run {\n  sead = 7\n}");
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> ConfigLoader.load(List.of(f), List.of()));
    String m = e.getMessage();
    assertTrue(m.contains("unknown key run.sead"), m);
    assertTrue(m.contains("typo.conf: 2"), "names file and line: " + m);
    assertTrue(m.contains("did you mean run.seed?"), m);
  }

  @Test
  void unknownKeyOnTheCommandLineNamesTheArgument() {
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> ConfigLoader.load(List.of(), List.of("engine.typ=mklblas")));
    assertTrue(e.getMessage().contains("command line argument 'engine.typ=mklblas'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("did you mean engine.type?"), e.getMessage());
  }

  @Test
  void wrongTypeNamesKeyValueOriginAndExpectedType() throws IOException {
    File f = file("types.conf", "run.seed = lots\nspark.ui = [1, 2]");
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> ConfigLoader.load(List.of(f), List.of()));
    assertEquals(2, e.problems().size(), "both problems reported at once: " + e.problems());
    String m = e.getMessage();
    assertTrue(m.contains("key run.seed has a string \"lots\"") && m.contains("must be a number"),
        m);
    assertTrue(m.contains("key spark.ui has a list") && m.contains("must be a boolean"), m);
  }

  @Test
  void numbersAndBooleansGivenAsStringsAreAccepted() {
    Config c = ConfigLoader.load(List.of(), List.of("run.seed=\"17\"", "spark.ui=\"true\""));
    assertEquals(17, c.getLong("run.seed"));
    assertTrue(c.getBoolean("spark.ui"));
  }

  @Test
  void freeFormSparkConfAcceptsAnyKey() {
    Config c = ConfigLoader.load(List.of(),
        List.of("spark.conf.\"spark.executor.memory\"=4g"));
    assertEquals("4g", c.getConfig("spark.conf").getString("\"spark.executor.memory\""));
  }

  @Test
  void commandLineValuesKeepUrlsAndBracketsLiteral() {
    Config c = ConfigLoader.load(List.of(),
        List.of("run.dir=hdfs://namenode:8020/runs", "spark.master=local[2]"));
    assertEquals("hdfs://namenode:8020/runs", c.getString("run.dir"));
    assertEquals("local[2]", c.getString("spark.master"));
  }

  @Test
  void missingFileIsAProblemNamingThePath() {
    File missing = dir.resolve("nope.conf").toFile();
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> ConfigLoader.load(List.of(missing), List.of()));
    assertTrue(e.getMessage().contains("nope.conf cannot be read"), e.getMessage());
  }

  @Test
  void malformedOverrideIsAProblem() {
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> ConfigLoader.load(List.of(), List.of("=5")));
    assertTrue(e.getMessage().contains("not of the form key=value"), e.getMessage());
  }

  @Test
  void keyBelowALeafIsATypeProblem() {
    ConfigProblems e = assertThrows(ConfigProblems.class,
        () -> ConfigLoader.load(List.of(), List.of("run.seed.x=1")));
    assertTrue(e.getMessage().contains("key run.seed") && e.getMessage().contains("not an object"),
        e.getMessage());
  }

  @Test
  void everyPresetInConfLoadsCleanly() throws IOException {
    Path conf = Path.of("conf");
    List<Path> presets;
    try (var files = Files.walk(conf)) {
      presets = files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    assertFalse(presets.isEmpty(), "conf/ has presets");
    for (Path preset : presets) {
      ConfigLoader.load(List.of(preset.toFile()), List.of());
    }
  }

  @Test
  void issue14CollectingLeavesOutTheBadKeysSoThatRecordsCanStillBeBuilt() {
    ConfigLoader.Loaded l = ConfigLoader.loadCollecting(com.typesafe.config.ConfigFactory.empty(),
        List.of(), List.of("train.batchsize=8", "train.epochs=many", "train.momentum=0.5"));
    assertEquals(2, l.problems().size(), l.problems().toString());
    assertTrue(l.problems().get(0).startsWith("unknown key train.batchsize"), l.problems().get(0));
    assertTrue(l.problems().get(1).contains("key train.epochs has a string"), l.problems().get(1));
    assertEquals(100, l.config().getInt("train.epochs"), "the default stands in");
    assertEquals(0.5, l.config().getDouble("train.momentum"), 0.0);
    assertFalse(l.config().hasPath("train.batchsize"));
  }
}
