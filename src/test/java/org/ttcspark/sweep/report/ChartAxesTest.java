package org.ttcspark.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Metric charts keep their fixed axis and draw chance, whatever narrow range the data has. */
class ChartAxesTest {
  @Test
  void scalesAreFixedAndCarryTheirChanceLevel() {
    MetricScale auroc = MetricScale.of("probe_auroc", 0);
    assertEquals(0, auroc.min());
    assertEquals(1, auroc.max());
    assertEquals(0.5, auroc.chance());
    MetricScale sub = MetricScale.of("subtype_knn_1", 4);
    assertTrue(sub.percent());
    assertEquals(25.0, sub.chance(), 1e-12);
    assertFalse(MetricScale.of("subtype_knn_1", 0).hasChance(), "unknown sub-type count");
    assertFalse(MetricScale.of("saa_0", 4).hasChance());
    assertNull(MetricScale.of("wall_seconds", 4));
    assertEquals("0.25", auroc.tick(0.25));
    assertEquals("100 %", sub.tick(100));
  }

  @Test
  void dotChartOfNoiseStillSpansZeroToOneWithTheChanceLine() {
    String svg = new DotChart(MetricScale.of("probe_balanced_accuracy", 0), "minority ratio")
        .add("supcon", "1 %", SeedStats.of(List.of(0.493, 0.501)))
        .add("supmin", "1 %", SeedStats.of(List.of(0.509, 0.517))).render();
    assertTrue(svg.contains("class=\"chance\""), "chance line");
    assertTrue(svg.contains(">chance 0.500</text>"));
    assertTrue(svg.contains(">0.0</text>") && svg.contains(">1.0</text>"), "fixed axis ends");
    assertFalse(svg.contains(">0.493</text>"), "no axis scaled to the noise");
    assertTrue(svg.contains(">1 %</text>") && svg.contains(">supmin</text>"));
  }

  @Test
  void percentChartsRunFromZeroToHundred() {
    String svg = new DotChart(MetricScale.of("subtype_knn_1", 4), "minority ratio")
        .add("supmin", "5 %", SeedStats.of(List.of(60.0, 64.0))).render();
    assertTrue(svg.contains(">0 %</text>") && svg.contains(">100 %</text>"), svg);
    assertTrue(svg.contains(">chance 25.0 %</text>"));
  }

  @Test
  void lineChartWithAScaleKeepsTheFixedRangeAndDrawsReferences() {
    String svg = new SvgChart("online k-NN", "epoch", "score", false)
        .scale(MetricScale.online("knn_auroc", 4))
        .add("knn_auroc", List.of(new double[] {1, 0.50}, new double[] {2, 0.51}))
        .render();
    assertTrue(svg.contains("class=\"chance\"") && svg.contains(">1.0</text>")
        && svg.contains(">0.0</text>"), svg);
    String loss = new SvgChart("loss", "iteration", "loss", false)
        .add("loss", List.of(new double[] {1, 6.0}, new double[] {2, 5.0}))
        .reference("collapsed 5.541", 5.541).render();
    assertTrue(loss.contains("class=\"reference\"") && loss.contains(">collapsed 5.541</text>"));
  }
}
