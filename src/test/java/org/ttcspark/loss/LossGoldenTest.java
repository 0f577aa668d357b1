package org.ttcspark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every loss fixture in {@code src/test/resources/golden} (computed in float64 by the authors'
 * PyTorch code) against the core, with the tolerances of the fixture README for a float32 port:
 * loss within {@code 1e-5 * max(1, |L|)}, gradient within {@code 2e-5 * max|g_expected|}.
 * New fixture files of a loss kind are picked up without code changes.
 */
class LossGoldenTest {
  static List<Path> fixtures() {
    return GoldenLossCase.files();
  }

  @Test
  void findsTheLossFixturesOfEveryKind() {
    List<Path> files = fixtures();
    assertTrue(files.size() >= 15, "only " + files.size() + " loss fixtures found");
    for (String kind : GoldenLossCase.KINDS) {
      assertFalse(GoldenLossCase.files().stream()
          .noneMatch(f -> GoldenLossCase.read(f).kind().equals(kind)), "no fixture of " + kind);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void matchesTheReferenceLossAndGradient(Path file) {
    GoldenLossCase c = GoldenLossCase.read(file);
    LossResult r = c.loss().compute(c.batch(), 0L);
    assertClose(c, r.loss(), r.grad());
  }

  /** Asserts a loss and a view-major gradient against the fixture with the README tolerances. */
  static void assertClose(GoldenLossCase c, double loss, float[] grad) {
    assertEquals(c.expectedLoss(), loss, 1e-5 * Math.max(1, Math.abs(c.expectedLoss())),
        c.name() + ": loss");
    double[] expected = c.expectedGradViewMajor();
    assertEquals(expected.length, grad.length, c.name() + ": gradient size");
    double maxExpected = 0;
    for (double g : expected) {
      maxExpected = Math.max(maxExpected, Math.abs(g));
    }
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(expected[i] - grad[i]);
      if (!(diff <= worst)) {
        worst = diff;
        at = i;
      }
    }
    assertTrue(worst <= 2e-5 * maxExpected, c.name() + ": gradient differs by " + worst
        + " at element " + at + " (allowed " + 2e-5 * maxExpected + ")");
  }
}
