package org.ttcspark.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.testing.Golden;

class ClassificationMetricsTest {

  @Test
  void everyClassificationFixtureMatchesScikitLearnWithin1e12() {
    List<Path> files = Golden.files("classification");
    assertFalse(files.isEmpty());
    for (Path f : files) {
      JsonNode root = Golden.read(f);
      int[] truth = ints(root.path("inputs").path("y_true"));
      int[] predicted = ints(root.path("inputs").path("y_pred"));
      double[] score = Golden.vector(root.path("inputs").path("y_score"));
      JsonNode expected = root.path("expected");
      ClassificationMetrics m = ClassificationMetrics.of(truth, predicted, score, 1);
      assertEquals(Golden.number(expected.path("roc_auc")), m.auroc(), 1e-12, f.toString());
      assertEquals(Golden.number(expected.path("balanced_accuracy")), m.balancedAccuracy(),
          1e-12, f.toString());
      assertEquals(Golden.number(expected.path("f1_binary")), m.f1()[1], 1e-12, f.toString());
      JsonNode counts = root.path("derived");
      assertArrayEquals(new long[] {counts.path("tn").asLong(), counts.path("fp").asLong()},
          m.confusion()[0]);
      assertArrayEquals(new long[] {counts.path("fn").asLong(), counts.path("tp").asLong()},
          m.confusion()[1]);
    }
  }

  @Test
  void f1OfANeverPredictedClassIsZeroAndMacroAveragesBoth() {
    ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 0, 1}, new int[] {0, 0, 0},
        new double[] {0.1, 0.2, 0.3}, 1);
    assertEquals(0.0, m.minorityF1());
    assertEquals(0.8 / 2, m.macroF1(), 1e-15); // class 0: 2*2/(4+1) = 0.8
    assertEquals(1.0, m.auroc());
    assertEquals(2.0 / 3, m.accuracy(), 1e-15);
    assertEquals(0.5, m.balancedAccuracy());
  }

  @Test
  void aurocIsNaNWithOneClassAndOneHalfForAllTied() {
    assertTrue(Double.isNaN(ClassificationMetrics.auroc(new int[] {1, 1}, new double[] {1, 2})));
    assertEquals(0.5, ClassificationMetrics.auroc(new int[] {0, 1, 0, 1},
        new double[] {3, 3, 3, 3}));
  }

  @Test
  void rejectsMismatchedLengthsAndNonBinaryLabels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {0, 1}, new int[] {0}, new double[] {0, 1}, 1));
    assertTrue(e.getMessage().contains("2 labels, 1 predictions"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[] {0, 2}, new int[] {0, 1}, new double[] {0, 1},
            1));
    assertTrue(e.getMessage().contains("label 2"), e.getMessage());
  }

  private static int[] ints(JsonNode node) {
    double[] v = Golden.vector(node);
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (int) v[i];
    }
    return out;
  }
}
