package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttcspark.loss.GoldenLossCase;
import org.ttcspark.loss.Views;

/**
 * {@code ttc loss} on every loss fixture: inputs written as NumPy would (byte for byte, see
 * {@link NpyBytes}), outputs read back the same way and compared with the fixture's values.
 */
class LossCommandTest {
  @TempDir
  Path dir;

  static List<Path> fixtures() {
    return GoldenLossCase.files();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void writesTheFixturesLossAndGradient(Path file) throws IOException {
    GoldenLossCase c = GoldenLossCase.read(file);
    // float64 features for the supproto cases exercise the float64 path: grad.npy is <f8 then
    String descr = c.kind().equals("supproto") ? "<f8" : "<f4";
    Path out = dir.resolve("out");
    MainTest.Result r = MainTest.run(arguments(c, descr, out).toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(out.resolve("loss.json").toFile());
    NpyBytes.Array grad = NpyBytes.read(out.resolve("grad.npy"));
    assertEquals(descr, grad.descr());
    assertArrayEquals(new int[] {c.batchSize(), c.views(), c.dim()}, grad.shape());
    float[] g = new float[grad.values().length];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) grad.values()[i];
    }
    c.assertMatchesFixture(json.get("loss").asDouble(),
        Views.toViewMajor(g, c.batchSize(), c.views(), c.dim()));
    try (var files = Files.list(out)) {
      // Hadoop's local file system adds .<name>.crc checksum files; nothing else may remain
      assertEquals(List.of("grad.npy", "loss.json"), files.map(f -> f.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).sorted().toList(), "no temporary files left");
    }
  }

  private List<String> arguments(GoldenLossCase c, String descr, Path out) throws IOException {
    JsonNode p = c.params();
    List<String> a = new ArrayList<>(List.of("loss", "--out", out.toString(), "--features",
        NpyBytes.write(dir.resolve("f.npy"), descr, doubles(c.sampleMajor()), c.batchSize(),
            c.views(), c.dim()).toString()));
    if (!c.kind().equals("simclr")) {
      a.addAll(List.of("--labels", NpyBytes.write(dir.resolve("l.npy"), "<i8",
          doubles(c.labels()), c.batchSize()).toString()));
    }
    String t = "loss.temperature=" + p.path("temperature").asDouble();
    String tb = "loss.base-temperature=" + p.path("base_temperature").asDouble();
    switch (c.kind()) {
      case "supcon", "sbcl_supcon", "simclr" ->
          a.addAll(List.of("--method", c.kind().equals("simclr") ? "simclr" : "supcon", t, tb));
      case "supmin" -> a.addAll(List.of("--method", "supmin", t, tb,
          "loss.minority-class=" + p.path("min_class").asInt(),
          "loss.ratio-supervised-majority=" + p.path("ratio_supervised_majority").asDouble()));
      case "supproto" -> a.addAll(List.of("--method", "supproto", t, tb,
          "loss.eps-0=" + p.path("eps_0").asDouble(), "loss.eps-1=" + p.path("eps_1").asDouble(),
          "loss.negatives-weight=" + p.path("negatives_weight").asDouble(),
          "--prototypes", prototypes(c)));
      case "sbcl_ccl", "sbcl_rank" -> {
        a.addAll(List.of("--method", "sbcl", "loss.sbcl.temperature=" + p.path("temperature")
            .asDouble(), "loss.sbcl.base-temperature=" + p.path("base_temperature").asDouble(),
            "loss.sbcl.gamma=" + p.path("grama").asDouble(),
            "loss.sbcl.variant=" + (c.kind().equals("sbcl_ccl") ? "ccl" : "rank"),
            "--clusters", NpyBytes.write(dir.resolve("c.npy"), "<i4", doubles(c.clusters()),
                c.batchSize()).toString()));
        if (c.classTemperatures() != null) {
          a.add("loss.sbcl.class-temperatures=[" + c.classTemperatures()[0] + ","
              + c.classTemperatures()[1] + "]");
        }
      }
      case "kcl", "tsc" -> {
        a.addAll(List.of("--method", c.kind(), t, tb, "loss.kcl.k=" + p.path("k").asInt(),
            "loss.kcl.positive-selection="
                + (p.path("positive_selection").asText().equals("all") ? "all" : "first-k")));
        if (c.kind().equals("tsc")) {
          a.addAll(List.of("--prototypes", prototypes(c)));
        }
      }
      default -> throw new IllegalStateException(c.kind());
    }
    return a;
  }

  private String prototypes(GoldenLossCase c) throws IOException {
    return NpyBytes.write(dir.resolve("p.npy"), "<f4", doubles(c.prototypes()), 2, c.dim())
        .toString();
  }

  /** Runs {@code ttc loss} on two unit-row samples of two views, plus the given arguments. */
  private MainTest.Result runOnTinyFeatures(String method, String... more) throws IOException {
    Path f = NpyBytes.write(dir.resolve("f.npy"), "<f4", new double[] {1, 0, 0, 1, 1, 0, 0, 1},
        2, 2, 2);
    List<String> a = new ArrayList<>(List.of("loss", "--method", method, "--features",
        f.toString(), "--out", dir.resolve("o").toString()));
    a.addAll(List.of(more));
    return MainTest.run(a.toArray(String[]::new));
  }

  @Test
  void missingLabelsIsAUsageError() throws IOException {
    MainTest.Result r = runOnTinyFeatures("supcon");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("needs --labels"), r.err());
    assertFalse(Files.exists(dir.resolve("o")));
  }

  @Test
  void badLabelsFailWithTheProblemAndWriteNothing() throws IOException {
    Path l = NpyBytes.write(dir.resolve("l.npy"), "<i8", new double[] {0, 3}, 2);
    MainTest.Result r = runOnTinyFeatures("supcon", "--labels", l.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("label of sample 1 is 3"), r.err());
    assertFalse(Files.exists(dir.resolve("o")));
  }

  @Test
  void floatingPointLabelsAreRejected() throws IOException {
    Path l = NpyBytes.write(dir.resolve("l.npy"), "<f8", new double[] {0, 1}, 2);
    MainTest.Result r = runOnTinyFeatures("supcon", "--labels", l.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("where integers are expected"), r.err());
  }

  @Test
  void featuresOfTheWrongRankAreRejected() throws IOException {
    Path f = NpyBytes.write(dir.resolve("f2.npy"), "<f4", new double[] {1, 0, 0, 1}, 2, 2);
    MainTest.Result r = MainTest.run("loss", "--method", "simclr", "--features", f.toString(),
        "--out", dir.resolve("o").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("[batch, views, dim]"), r.err());
  }

  @Test
  void unknownMethodIsAConfigurationErrorWithASuggestion() throws IOException {
    MainTest.Result r = runOnTinyFeatures("supmn");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("did you mean supmin"), r.err());
  }

  private static double[] doubles(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }

  private static double[] doubles(int[] x) {
    return java.util.Arrays.stream(x).asDoubleStream().toArray();
  }
}
