package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Usage, help and exit codes of the command line; nothing here starts Spark. */
class MainTest {
  /** Output and exit code of one in-process run. */
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryCommandOfTheSpecification() {
    Result r = run("--help");
    assertEquals(0, r.code());
    for (String c : new String[] {"prepare", "pretrain", "train-ce", "embed", "probe", "metrics",
        "loss", "sweep", "report", "demo", "doctor"}) {
      assertTrue(r.out().contains("\n  " + c + " "), "lists " + c + ":\n" + r.out());
    }
  }

  @Test
  void noArgumentsPrintsUsageAndExits2() {
    Result r = run();
    assertEquals(2, r.code());
    assertTrue(r.out().startsWith("usage: ttc <command>"));
  }

  @Test
  void unknownCommandExits2AndListsTheCommands() {
    Result r = run("pretrian");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown command 'pretrian'") && r.err().contains("doctor"),
        r.err());
  }

  @Test
  void issue17_helpWithACommandShowsThatCommandsHelp() {
    Result r = run("help", "pretrain");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("usage: ttc pretrain"), r.out());
    assertTrue(r.out().contains("settings (train.*"), r.out());
    Result unknown = run("help", "pretrian");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown command 'pretrian'"), unknown.err());
  }

  @Test
  void issue17_insideYarnsApplicationMasterMainReturnsOnSuccessAndThrowsOnFailure() {
    System.setProperty("spark.yarn.app.id", "application_1_0001");
    System.setProperty("spark.submit.deployMode", "cluster");
    try {
      // System.exit here would end the test JVM, and surefire would report the crash.
      Main.main(new String[] {"--version"});
      IllegalStateException failed = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalStateException.class, () -> Main.main(new String[] {"pretrian"}));
      assertTrue(failed.getMessage().contains("exit code 2"), failed.getMessage());
    } finally {
      System.clearProperty("spark.yarn.app.id");
      System.clearProperty("spark.submit.deployMode");
    }
  }

  @Test
  void issue17_versionNamesTheStack() {
    Result r = run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("ttc-spark "), r.out());
    for (String part : new String[] {"Spark 2.4.8", "Scala 2.11.12", "BigDL 0.13.0",
        "Hadoop client 2.7", "Java 17"}) {
      assertTrue(r.out().contains(part), part + " in:\n" + r.out());
    }
  }

  @Test
  void commandHelpShowsOptionsAndSettingsWithDefaults() {
    Result r = run("doctor", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("usage: ttc doctor"), r.out());
    assertTrue(r.out().contains("settings (engine.*"), r.out());
    assertTrue(r.out().contains("type = \"mkldnn\"") || r.out().contains("type=mkldnn"),
        r.out());
  }

  @Test
  void unknownOptionExits2NamingIt() {
    Result r = run("doctor", "--fast");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown option --fast for ttc doctor"), r.err());
  }

  @Test
  void strayWordExits2ExplainingTheSyntax() {
    Result r = run("doctor", "quickly");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unexpected argument 'quickly'") && r.err().contains("key=value"),
        r.err());
  }

  @Test
  void configurationErrorExits2BeforeAnyWorkWithTheSuggestion() {
    Result r = run("doctor", "engine.typo=mklblas");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("did you mean engine.type?"), r.err());
  }

  @Test
  void severalConfigurationErrorsAreListedTogether() {
    Result r = run("doctor", "engine.typo=1", "run.seed=abc");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("2 configuration problems"), r.err());
  }

  @Test
  void missingConfigFileExits2() {
    Result r = run("doctor", "-c", "does/not/exist.conf");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("does/not/exist.conf cannot be read"), r.err());
  }

  @Test
  void dashCWithoutAFileExits2() {
    Result r = run("doctor", "-c");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("-c of ttc doctor needs a value"), r.err());
  }
}
