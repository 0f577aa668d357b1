package org.ttcspark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ttcspark.testing.Golden;

/** A golden {@code metrics} fixture as embeddings, labels and the values to assert. */
public record MetricFixtures(String name, float[][] embeddings, int[] labels, int views,
    JsonNode expected) {

  /** Every metric fixture present. */
  public static List<MetricFixtures> all() {
    List<MetricFixtures> out = new ArrayList<>();
    for (Path f : Golden.files("metrics")) {
      JsonNode root = Golden.read(f);
      double[][] e = Golden.matrix(root.path("inputs").path("embeddings"));
      float[][] rows = new float[e.length][];
      for (int i = 0; i < e.length; i++) {
        rows[i] = new float[e[i].length];
        for (int d = 0; d < e[i].length; d++) {
          rows[i][d] = (float) e[i][d]; // exactly representable (README)
        }
      }
      double[] l = Golden.vector(root.path("inputs").path("labels"));
      int[] labels = new int[l.length];
      for (int i = 0; i < l.length; i++) {
        labels[i] = (int) l[i];
      }
      out.add(new MetricFixtures(f.getFileName().toString(), rows, labels,
          root.path("params").path("n_views").asInt(), root.path("expected")));
    }
    return out;
  }

  /** The stack cut into consecutive blocks of {@code blockSize} rows. */
  public List<EmbeddingBlock> blocks(int blockSize) {
    List<EmbeddingBlock> out = new ArrayList<>();
    for (int start = 0; start < embeddings.length; start += blockSize) {
      int end = Math.min(embeddings.length, start + blockSize);
      out.add(EmbeddingBlock.normalise(start, java.util.Arrays.copyOfRange(embeddings, start, end),
          java.util.Arrays.copyOfRange(labels, start, end), null, name));
    }
    return out;
  }

  /** the layout of this fixture (k = max(1, floor(0.05 N)), t = 2). */
  public StackLayout layout() {
    return StackLayout.of(embeddings.length, views, 0.05, 2.0);
  }

  /** Asserts every metric of {@code m} against the fixture within its tolerances. */
  public void assertMatches(RepresentationMetrics m) {
    assertEquals(embeddings.length, m.n(), name);
    assertEquals(views, m.views(), name);
    assertEquals(expected.path("k_neighbours").asInt(), m.k(), name + " k");
    for (int c = 0; c < 2; c++) {
      String mean = "mean_class" + c;
      assertEquals(Golden.number(expected.path("saa").path(mean)), m.saa().get(c), 1e-4,
          name + " saa " + c);
      assertEquals(Golden.number(expected.path("cac_self_excluded").path(mean)), m.cac().get(c),
          1e-4, name + " cac " + c);
      assertRelative(Golden.number(expected.path("sad").path(mean)), m.sad().get(c),
          name + " sad " + c);
      assertRelative(Golden.number(expected.path("cad").path(mean)), m.cad().get(c),
          name + " cad " + c);
      assertRelative(Golden.number(expected.path("gpu").path("class" + c)), m.gpu().get(c),
          name + " gpu " + c);
    }
  }

  private static void assertRelative(double expected, Double actual, String what) {
    assertEquals(expected, actual, 1e-5 * Math.abs(expected), what);
  }
}
