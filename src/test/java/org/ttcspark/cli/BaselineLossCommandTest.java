package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.testing.Golden;

/**
 * {@code ttc loss --method bcl} and {@code --method paco} on their fixtures (SPEC §6): inputs
 * written as NumPy would, outputs compared with the authors' values at the fixture README's
 * tolerances.
 */
class BaselineLossCommandTest {
  @TempDir
  Path dir;

  @Test
  void bclWritesBalSclsLossAndFeatureGradient() throws IOException {
    for (Path file : Golden.files("bcl")) {
      JsonNode root = Golden.read(file);
      JsonNode in = root.path("inputs");
      int b = root.path("shape").path("batch_size").asInt();
      int d = root.path("shape").path("dim").asInt();
      Path out = dir.resolve(file.getFileName() + ".out");
      MainTest.Result r = MainTest.run("loss", "--method", "bcl", "--out", out.toString(),
          "--features", write("f.npy", "<f8", in.path("features"), b, 2, d),
          "--labels", write("l.npy", "<i8", in.path("labels"), b),
          "--prototypes", write("p.npy", "<f4", in.path("centers"), 2, d),
          "loss.temperature=" + root.path("params").path("temperature").asDouble(),
          "loss.bcl.class-counts=" + root.path("params").path("cls_num_list"));
      assertEquals(0, r.code(), r.err());
      check(file + " features", out, "grad.npy", root.path("expected").path("grad_features"),
          new int[] {b, 2, d});
      assertLoss(file.toString(), out, root.path("expected").path("loss"));
    }
  }

  @Test
  void pacoWritesTheLossAndBothGradients() throws IOException {
    for (Path file : Golden.files("paco")) {
      JsonNode root = Golden.read(file);
      JsonNode in = root.path("inputs");
      JsonNode p = root.path("params");
      if (p.path("base_temperature").asDouble() != p.path("temperature").asDouble()) {
        continue; // the command's factor T / T_b is 1, as the authors' default
      }
      int b = root.path("shape").path("batch_size").asInt();
      int k = root.path("shape").path("queue_size").asInt();
      int d = root.path("shape").path("dim").asInt();
      Path out = dir.resolve(file.getFileName() + ".out");
      MainTest.Result r = MainTest.run("loss", "--method", "paco", "--out", out.toString(),
          "--features", write("f.npy", "<f4", in.path("features"), 2 * b + k, d),
          "--labels", write("l.npy", "<i8", in.path("labels"), 2 * b + k),
          "--logits", write("s.npy", "<f4", in.path("sup_logits"), b, 2),
          "loss.paco.queue-size=" + k, "loss.paco.alpha=" + p.path("alpha").asDouble(),
          "loss.paco.beta=" + p.path("beta").asDouble(),
          "loss.paco.gamma=" + p.path("gamma").asDouble(),
          "loss.paco.supt=" + p.path("supt").asDouble(),
          "loss.paco.temperature=" + p.path("temperature").asDouble(),
          "loss.paco.class-counts=" + p.path("cls_num_list"));
      assertEquals(0, r.code(), r.err());
      assertLoss(file.toString(), out, root.path("expected").path("loss"));
      check(file + " features", out, "grad.npy", root.path("expected").path("grad_features"),
          new int[] {2 * b + k, d});
      check(file + " logits", out, "grad_logits.npy",
          root.path("expected").path("grad_sup_logits"), new int[] {b, 2});
    }
  }

  @Test
  void bclWithoutCentresIsAUsageError() throws IOException {
    Path f = NpyBytes.write(dir.resolve("f.npy"), "<f4", new double[] {1, 0, 0, 1, 1, 0, 0, 1},
        2, 2, 2);
    Path l = NpyBytes.write(dir.resolve("l.npy"), "<i8", new double[] {0, 1}, 2);
    MainTest.Result r = MainTest.run("loss", "--method", "bcl", "--features", f.toString(),
        "--labels", l.toString(), "--out", dir.resolve("o").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("needs --prototypes"), r.err());
  }

  @Test
  void pacoWithoutClassCountsNamesTheKey() throws IOException {
    Path f = NpyBytes.write(dir.resolve("f.npy"), "<f4", new double[] {1, 0, 0, 1, 1, 0, 0, 1},
        4, 2);
    Path l = NpyBytes.write(dir.resolve("l.npy"), "<i8", new double[] {0, 1, 0, 1}, 4);
    Path s = NpyBytes.write(dir.resolve("s.npy"), "<f4", new double[] {0, 1, 1, 0}, 2, 2);
    MainTest.Result r = MainTest.run("loss", "--method", "paco", "--features", f.toString(),
        "--labels", l.toString(), "--logits", s.toString(), "loss.paco.queue-size=0",
        "--out", dir.resolve("o").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("class-counts"), r.err());
  }

  private String write(String name, String descr, JsonNode values, int... shape)
      throws IOException {
    List<Double> flat = new ArrayList<>();
    flatten(values, flat);
    return NpyBytes.write(dir.resolve(name), descr,
        flat.stream().mapToDouble(Double::doubleValue).toArray(), shape).toString();
  }

  private static void flatten(JsonNode node, List<Double> out) {
    if (node.isArray()) {
      node.forEach(n -> flatten(n, out));
    } else {
      out.add(Golden.number(node));
    }
  }

  private static void assertLoss(String name, Path out, JsonNode expected) throws IOException {
    double e = Golden.number(expected);
    double got = new ObjectMapper().readTree(out.resolve("loss.json").toFile()).get("loss")
        .asDouble();
    assertEquals(e, got, 1e-5 * Math.max(1, Math.abs(e)), name + ": loss");
  }

  private static void check(String name, Path out, String file, JsonNode expected, int[] shape)
      throws IOException {
    NpyBytes.Array a = NpyBytes.read(out.resolve(file));
    assertArrayEquals(shape, a.shape(), name);
    List<Double> flat = new ArrayList<>();
    flatten(expected, flat);
    double max = flat.stream().mapToDouble(Math::abs).max().orElse(0);
    double worst = 0;
    for (int i = 0; i < flat.size(); i++) {
      worst = Math.max(worst, Math.abs(flat.get(i) - a.values()[i]));
    }
    assertTrue(max > 0 && worst <= 2e-5 * max, name + ": gradient differs by " + worst);
  }
}
