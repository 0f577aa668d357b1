package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttcspark.testing.Golden;

/**
 * The {@code bcl} and {@code paco} fixtures (BCL's BalSCL and LogitAdjust, PaCo's PaCoLoss, run
 * unchanged in float64 by {@code golden/gen_bcl_paco.py}) against the pure losses, with the
 * tolerances of the fixture README for a float32 port: loss within {@code 1e-5 * max(1, |L|)},
 * every gradient within {@code 2e-5 * max|g_expected|}.
 */
class BaselineGoldenTest {
  static List<Path> bclFixtures() {
    return Golden.files("bcl");
  }

  static List<Path> pacoFixtures() {
    return Golden.files("paco");
  }

  @Test
  void findsFixturesOfBothKinds() {
    assertTrue(bclFixtures().size() >= 3, "bcl fixtures: " + bclFixtures());
    assertTrue(pacoFixtures().size() >= 2, "paco fixtures: " + pacoFixtures());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bclFixtures")
  void bclMatchesBalSclAndLogitAdjust(Path file) {
    JsonNode root = Golden.read(file);
    JsonNode in = root.path("inputs");
    JsonNode p = root.path("params");
    int b = root.path("shape").path("batch_size").asInt();
    int d = root.path("shape").path("dim").asInt();
    int[] labels = ints(in.path("labels"));
    float[] sampleMajor = floats(in.path("features"));
    float[] centres = floats(in.path("centers"));
    ContrastiveBatch batch = ContrastiveBatch.of(Views.toViewMajor(sampleMajor, b, 2, d), b, 2,
        d, labels, null);
    BclLoss loss = new BclLoss(p.path("temperature").asDouble(), Prototypes.of(centres, d));
    BclLoss.Result r = loss.compute(batch, centres);
    JsonNode ex = root.path("expected");
    String name = file.getFileName().toString();
    assertLoss(name, ex.path("loss"), r.loss());
    assertGrad(name + " features", doubles(ex.path("grad_features")),
        Views.toSampleMajor(r.grad(), b, 2, d));
    assertGrad(name + " centres", doubles(ex.path("grad_centers")), r.centreGrad());
    assertEquals(r.loss(), loss.compute(batch, 0L).loss(), 0, "the configured centres");

    LogitAdjust la = new LogitAdjust(longs(p.path("cls_num_list")),
        p.path("logit_adjust_tau").asDouble());
    LossResult ce = la.compute(floats(in.path("logits")), labels);
    assertLoss(name + " logit adjust", ex.path("logit_adjust_loss"), ce.loss());
    assertGrad(name + " logits", doubles(ex.path("grad_logits")), ce.grad());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pacoFixtures")
  void pacoMatchesPaCoLoss(Path file) {
    JsonNode root = Golden.read(file);
    JsonNode in = root.path("inputs");
    JsonNode p = root.path("params");
    JsonNode shape = root.path("shape");
    int b = shape.path("batch_size").asInt();
    int k = shape.path("queue_size").asInt();
    int d = shape.path("dim").asInt();
    PacoLoss loss = new PacoLoss(p.path("alpha").asDouble(), p.path("beta").asDouble(),
        p.path("gamma").asDouble(), p.path("supt").asDouble(), p.path("temperature").asDouble(),
        p.path("base_temperature").asDouble(), longs(p.path("cls_num_list")));
    PacoLoss.Result r = loss.compute(floats(in.path("features")), 2 * b + k, d, b,
        ints(in.path("labels")), floats(in.path("sup_logits")));
    JsonNode ex = root.path("expected");
    String name = file.getFileName().toString();
    assertLoss(name, ex.path("loss"), r.loss());
    assertGrad(name + " features", doubles(ex.path("grad_features")), r.gradFeatures());
    assertGrad(name + " logits", doubles(ex.path("grad_sup_logits")), r.gradLogits());
  }

  @Test
  void bclCollapsedLossIsLogTwoAtAnyClassMix() {
    float[] z = new float[2 * 4 * 3];
    for (int r = 0; r < 8; r++) {
      z[r * 3] = 1;
    }
    float[] centres = {1, 0, 0, 1, 0, 0};
    for (int[] labels : new int[][] {{0, 0, 0, 1}, {0, 1, 1, 1}, {0, 0, 0, 0}}) {
      ContrastiveBatch batch = ContrastiveBatch.of(z, 4, 2, 3, labels, null);
      BclLoss loss = new BclLoss(0.1, Prototypes.of(centres, 3));
      assertEquals(Math.log(2), loss.compute(batch, centres).loss(), 1e-12);
      assertEquals(Math.log(2), loss.collapsedLoss(batch).getAsDouble(), 1e-12);
    }
  }

  static void assertLoss(String name, JsonNode expected, double actual) {
    double e = Golden.number(expected);
    assertEquals(e, actual, 1e-5 * Math.max(1, Math.abs(e)), name + ": loss");
  }

  static void assertGrad(String name, double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, name + ": gradient size");
    double max = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(max > 0, name + ": the expected gradient is all zero");
    assertTrue(worst <= 2e-5 * max, name + ": gradient differs by " + worst + " (allowed "
        + 2e-5 * max + ")");
  }

  static double[] doubles(JsonNode node) {
    List<Double> out = new ArrayList<>();
    flatten(node, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static float[] floats(JsonNode node) {
    double[] d = doubles(node);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static void flatten(JsonNode node, List<Double> out) {
    if (node.isArray()) {
      node.forEach(n -> flatten(n, out));
    } else {
      out.add(Golden.number(node));
    }
  }

  static int[] ints(JsonNode node) {
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asInt();
    }
    return out;
  }

  static long[] longs(JsonNode node) {
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asLong();
    }
    return out;
  }
}
