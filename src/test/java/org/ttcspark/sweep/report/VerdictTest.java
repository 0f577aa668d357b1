package org.ttcspark.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
  static Map<String, String> row(String method, int seed, double auroc, double subtype1,
      boolean collapsed) {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("dataset", "synthetic");
    r.put("ratio", "0.0100");
    r.put("method", method);
    r.put("seed", String.valueOf(seed));
    r.put("status", "ok");
    r.put("probe_auroc", String.valueOf(auroc));
    r.put("probe_balanced_accuracy", "0.5");
    r.put("subtype_knn_1", String.valueOf(subtype1));
    r.put("collapsed", String.valueOf(collapsed));
    return r;
  }

  @Test
  void seedStatsAreMeanAndRangeOverFiniteValues() {
    SeedStats s = SeedStats.of(List.of(0.7, 0.9, Double.NaN));
    assertEquals(2, s.n());
    assertEquals(0.8, s.mean(), 1e-12);
    assertEquals(0.2, s.range(), 1e-12);
    assertNull(SeedStats.of(List.of(Double.NaN)));
    assertTrue(s.clearlyAbove(SeedStats.of(List.of(0.5, 0.69))));
    assertFalse(s.clearlyAbove(SeedStats.of(List.of(0.5, 0.71))), "ranges overlap");
    assertFalse(s.clearlyAbove(SeedStats.of(List.of(0.1))), "one seed has no spread");
  }

  @Test
  void aLeadLargerThanTheSeedSpreadIsSaidSoWithTheNumbers() {
    List<Map<String, String>> rows = List.of(row("supcon", 1, 0.55, 30, true),
        row("supcon", 2, 0.53, 28, true), row("supmin", 1, 0.80, 60, false),
        row("supmin", 2, 0.84, 64, false));
    String p = Verdict.paragraphs(rows, Map.of("synthetic", new Verdict.DatasetInfo(0, 4)))
        .get(0);
    assertTrue(p.startsWith("synthetic, 1 % minority (2 methods × 2 seeds"), p);
    assertTrue(p.contains("Probe AUROC (chance 0.500): supmin 0.820 (0.800–0.840), "
        + "supcon 0.540 (0.530–0.550); supmin leads supcon by 0.280, more than the seed "
        + "spread"), p);
    assertTrue(p.contains("Majority sub-type k-NN class 1 (chance 25.0 %): supmin 62.0 %"), p);
    assertTrue(p.contains("Collapsed (loss at the value of a collapsed batch in the last epoch): supcon 2 of 2 "
        + "(seeds 1, 2)."), p);
  }

  @Test
  void overlappingRangesAreWithinTheSpreadAndOneSeedHasNone() {
    List<Map<String, String>> rows = new ArrayList<>(List.of(row("supmin", 1, 0.80, 60, false),
        row("supmin", 2, 0.70, 60, false), row("supproto", 1, 0.78, 60, false),
        row("supproto", 2, 0.74, 60, false)));
    String p = Verdict.paragraph("d", 0.05, rows, new Verdict.DatasetInfo(-1, 0));
    assertTrue(p.contains("supproto leads supmin by 0.010, within the seed spread (ranges 0.040 "
        + "and 0.100 overlap)"), p);
    assertTrue(p.contains("Probe balanced accuracy (chance 0.500): supmin 0.500 (0.500–0.500), "
        + "supproto 0.500 (0.500–0.500); supmin and supproto are level."), p);
    assertFalse(p.contains("sub-type"), "no majority class known: no sub-type sentence");
    assertTrue(p.endsWith("No run collapsed."), p);
    String one = Verdict.paragraph("d", 0.05, rows.subList(0, 1).stream().toList(),
        new Verdict.DatasetInfo(0, 4));
    assertTrue(one.contains("Probe AUROC (chance 0.500): supmin 0.800."), one);
    List<Map<String, String>> single = List.of(rows.get(0), rows.get(2));
    assertTrue(Verdict.paragraph("d", 0.05, single, new Verdict.DatasetInfo(0, 4))
        .contains("(one seed: no spread to compare with)"));
  }

  @Test
  void failedRunsAreCountedAndLeftOut() {
    Map<String, String> failed = row("supcon", 3, 0.99, 99, false);
    failed.put("status", "failed: out of memory");
    String p = Verdict.paragraph("d", 0.01, List.of(row("supcon", 1, 0.5, 25, true), failed),
        new Verdict.DatasetInfo(0, 4));
    assertTrue(p.contains("1 of 2 runs did not finish"), p);
    assertTrue(p.contains("supcon 0.500."), p);
    assertEquals("0.5 %", Verdict.percent(0.005));
    assertEquals("1 %", Verdict.percent(0.01));
  }

  @Test
  void runsNobodyWatchedAreNotClaimedCollapseFree() {
    Map<String, String> r = row("supcon", 1, 0.5, 25, false);
    r.remove("collapsed");
    assertEquals("Collapse was not checked for these runs (no collapse detector in their logs).",
        Verdict.collapseSentence(List.of(r)));
    Map<String, String> empty = row("supmin", 1, 0.5, 25, false);
    empty.put("collapsed", "");
    assertEquals("Collapsed (loss at the value of a collapsed batch in the last epoch): supcon 1 of 1 (seed 1). "
        + "1 runs were not checked for collapse.", Verdict.collapseSentence(
        List.of(row("supcon", 1, 0.5, 25, true), empty)));
  }

  @Test
  void finetunesThatDivergedAreNamedAndNoneMeansNoSentence() {
    Map<String, String> a = row("bcl", 1, 0.9, 25, false);
    Map<String, String> b = row("bcl", 2, 0.9, 25, false);
    Map<String, String> c = row("paco", 1, 0.9, 25, false);
    a.put("finetune_diverged", "true");
    b.put("finetune_diverged", "false");
    c.put("finetune_diverged", "true");
    assertEquals("Fine-tuning head diverged (its finetune scores say nothing about the "
        + "encoder): bcl 1 of 2 (seed 1); paco 1 of 1 (seed 1).",
        Verdict.divergedSentence(List.of(a, b, c)));
    assertNull(Verdict.divergedSentence(List.of(b, row("supcon", 1, 0.9, 25, false))));
    assertTrue(Verdict.paragraph("synthetic", 0.01, List.of(a, b), new Verdict.DatasetInfo(0,
        4)).endsWith("bcl 1 of 2 (seed 1)."));
  }
}
