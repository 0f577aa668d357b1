package org.ttcspark.loss;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.ttcspark.testing.Golden;

/**
 * One loss fixture of {@code src/test/resources/golden} read into the core's terms: the loss it
 * describes, its batch (view-major) and the expected values (view-major gradient).
 */
record GoldenLossCase(String name, String kind, JsonNode params, ContrastiveLoss loss,
    float[] sampleMajor, int batchSize, int views, int dim, int[] labels, int[] clusters,
    float[] prototypes, double[] classTemperatures, double expectedLoss,
    double[] expectedGradSampleMajor) {

  /** Every loss kind of the fixture README. */
  static final String[] KINDS = {"supcon", "supmin", "simclr", "supproto", "sbcl_ccl",
      "sbcl_supcon", "sbcl_rank", "kcl", "tsc"};

  static List<Path> files() {
    return Golden.files(KINDS);
  }

  static GoldenLossCase read(Path file) {
    JsonNode root = Golden.read(file);
    String kind = root.path("kind").asText();
    JsonNode p = root.path("params");
    JsonNode in = root.path("inputs");
    JsonNode shape = root.path("shape");
    int b = shape.path("batch_size").asInt();
    int v = shape.path("n_views").asInt();
    int d = shape.path("dim").asInt();
    float[] features = floats(in.path("features"), b * v * d);
    int[] labels = ints(in.path("labels"));
    int[] clusters = ints(in.path("cluster_target"));
    float[] protos = in.has("prototypes") ? floats(in.path("prototypes"), 2 * d) : null;
    double[] classT = in.has("class_temperatures")
        ? Golden.vector(in.path("class_temperatures")) : null;
    double t = p.path("temperature").asDouble();
    double tb = p.path("base_temperature").asDouble();
    ContrastiveLoss loss = switch (kind) {
      case "supcon", "sbcl_supcon" -> SupConLoss.supcon(t, tb);
      case "simclr" -> SupConLoss.simclr(t, tb);
      case "supmin" -> SupConLoss.supmin(t, tb, p.path("min_class").asInt(),
          p.path("ratio_supervised_majority").asDouble() < 0 ? null
              : p.path("ratio_supervised_majority").asDouble());
      case "supproto" -> new SupProtoLoss(t, tb, p.path("eps_0").asDouble(),
          p.path("eps_1").asDouble(), p.path("negatives_weight").asDouble(),
          Prototypes.of(protos, d));
      case "sbcl_ccl" -> new SbclLoss(SbclVariant.CCL, t, tb, p.path("grama").asDouble(), null);
      case "sbcl_rank" -> new SbclLoss(SbclVariant.RANK, t, tb, p.path("grama").asDouble(),
          classT);
      case "kcl" -> KclLoss.kcl(t, tb, p.path("k").asInt(), selection(p));
      case "tsc" -> KclLoss.tsc(t, tb, p.path("k").asInt(), selection(p),
          Prototypes.of(protos, d));
      default -> throw new IllegalStateException("fixture " + file + " has kind " + kind);
    };
    JsonNode expected = root.path("expected");
    double[] grad = new double[b * v * d];
    flatten(expected.path("grad_features"), grad, new int[] {0});
    return new GoldenLossCase(root.path("case").asText(), kind, p, loss, features, b, v, d,
        labels, clusters, protos, classT, Golden.number(expected.path("loss")), grad);
  }

  /** The batch as the core takes it (view-major). */
  ContrastiveBatch batch() {
    return ContrastiveBatch.of(Views.toViewMajor(sampleMajor, batchSize, views, dim), batchSize,
        views, dim, kind.equals("simclr") ? null : labels, clusters);
  }

  /** The expected gradient, view-major {@code [V*B, D]}. */
  double[] expectedGradViewMajor() {
    double[] out = new double[expectedGradSampleMajor.length];
    for (int i = 0; i < batchSize; i++) {
      for (int v = 0; v < views; v++) {
        System.arraycopy(expectedGradSampleMajor, (i * views + v) * dim, out,
            (v * batchSize + i) * dim, dim);
      }
    }
    return out;
  }

  private static PositiveSelection selection(JsonNode p) {
    String s = p.path("positive_selection").asText();
    return s.equals("all") ? PositiveSelection.ALL : PositiveSelection.FIRST_K;
  }

  private static float[] floats(JsonNode node, int n) {
    double[] flat = new double[n];
    int[] at = {0};
    flatten(node, flat, at);
    if (at[0] != n) {
      throw new IllegalStateException("expected " + n + " numbers, found " + at[0]);
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) flat[i];
    }
    return out;
  }

  private static void flatten(JsonNode node, double[] out, int[] at) {
    if (node.isArray()) {
      for (JsonNode child : node) {
        flatten(child, out, at);
      }
    } else {
      out[at[0]++] = Golden.number(node);
    }
  }

  private static int[] ints(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    int[] out = new int[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asInt();
    }
    return out;
  }
}
