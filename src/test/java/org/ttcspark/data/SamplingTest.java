package org.ttcspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SamplingTest {

  private static List<List<String>> classes(int... sizes) {
    List<List<String>> out = new ArrayList<>();
    for (int c = 0; c < sizes.length; c++) {
      int cc = c;
      out.add(IntStream.range(0, sizes[c]).mapToObj(i -> cc + "-" + i).toList());
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"1000,5000,0.01,0.99", "1000,5000,0.05,0.95", "1000,5000,0.5,0.5",
      "5000,1000,0.01,0.99", "300,300,0.29,0.71", "7,10000,0.05,0.95", "120,80,0.3,0.7"})
  void ratioStepKeepsFloorOfSmallestCountTimesRatio(int n0, int n1, double r0, double r1) {
    int m = Math.min(n0, n1);
    List<List<String>> kept = Sampling.imbalance(classes(n0, n1), new double[] {r0, r1}, 42);
    long expected0 = Math.min(n0, (long) Math.floor(m * r0 + 1e-9));
    long expected1 = Math.min(n1, (long) Math.floor(m * r1 + 1e-9));
    assertEquals(expected0, kept.get(0).size());
    assertEquals(expected1, kept.get(1).size());
    assertEquals(kept.get(0).size(), new HashSet<>(kept.get(0)).size(), "without replacement");
    assertTrue(kept.get(1).stream().allMatch(s -> s.startsWith("1-")));
  }

  @Test
  void countsMatchTheSpecExamples() {
    assertEquals(List.of(10, 990), box(Sampling.imbalancedCounts(new int[] {1000, 4000},
        new double[] {0.01, 0.99})));
    // m is the smaller class: the larger keeps floor(1500 * 0.99), never more than it has
    assertEquals(List.of(15, 1485), box(Sampling.imbalancedCounts(new int[] {2000, 1500},
        new double[] {0.01, 0.99})));
    assertEquals(List.of(14, 14), box(Sampling.imbalancedCounts(new int[] {29, 30},
        new double[] {0.5, 0.5})));
  }

  @Test
  void sameSeedGivesSameIdsAndAnotherSeedOthers() {
    List<List<String>> a = Sampling.imbalance(classes(500, 800), new double[] {0.1, 0.9}, 7);
    List<List<String>> b = Sampling.imbalance(classes(500, 800), new double[] {0.1, 0.9}, 7);
    List<List<String>> c = Sampling.imbalance(classes(500, 800), new double[] {0.1, 0.9}, 8);
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void limitScalesEveryClassByOneFactorAndKeepsTheMinority() {
    assertEquals(List.of(50, 950), box(Sampling.limited(new int[] {900, 17100}, 1000)));
    // the minority keeps one image however small the factor
    assertEquals(List.of(1, 99), box(Sampling.limited(new int[] {9, 1791}, 100)));
    assertEquals(List.of(9, 1791), box(Sampling.limited(new int[] {9, 1791}, 0)));
    assertEquals(List.of(9, 1791), box(Sampling.limited(new int[] {9, 1791}, 5000)));
    List<List<String>> kept = Sampling.imbalance(classes(18000, 24000),
        new double[] {0.05, 0.95}, 2000, 3);
    assertEquals(100, kept.get(0).size());
    assertEquals(1900, kept.get(1).size());
  }

  @Test
  void balanceWithALimitSplitsItOverTheClasses() {
    List<List<String>> out = Sampling.balance(classes(3000, 4000), 600, 1);
    assertEquals(300, out.get(0).size());
    assertEquals(300, out.get(1).size());
    assertEquals(37, Sampling.balance(classes(37, 120), 600, 1).get(1).size());
  }

  @Test
  void balanceCutsEveryClassToTheSmallest() {
    List<List<String>> out = Sampling.balance(classes(37, 120), 1);
    assertEquals(37, out.get(0).size());
    assertEquals(37, out.get(1).size());
    assertEquals(Set.copyOf(classes(37, 0).get(0)), Set.copyOf(out.get(0)));
  }

  @Test
  void upsampleRepeatsMinorityAndCutsMajorityToHalfTheTotal() {
    List<List<Sampling.Copy<String>>> out = Sampling.upsample(classes(7, 93), 3);
    assertEquals(50, out.get(0).size());
    assertEquals(50, out.get(1).size());
    // 50 = 7 * 7 + 1: every minority sample 7 times, one of them an 8th time
    assertEquals(8, out.get(0).stream().filter(c -> c.item().equals(out.get(0).get(49).item()))
        .count());
    assertEquals(7, out.get(0).stream().filter(c -> c.item().equals("0-0")).count()
        + (out.get(0).get(49).item().equals("0-0") ? -1 : 0));
    assertEquals(50, out.get(1).stream().map(Sampling.Copy::item).distinct().count());
  }

  @Test
  void stratifiedSplitPartitionsEachClassByRoundedFractions() {
    List<List<List<String>>> parts = Sampling.stratifiedSplit(classes(100, 41),
        new double[] {0.7, 0.15, 0.15}, 5);
    assertEquals(List.of(70, 29), parts.get(0).stream().map(List::size).toList());
    assertEquals(List.of(15, 6), parts.get(1).stream().map(List::size).toList());
    assertEquals(List.of(15, 6), parts.get(2).stream().map(List::size).toList());
    Set<String> all = parts.stream().flatMap(p -> p.stream().flatMap(List::stream))
        .collect(Collectors.toSet());
    assertEquals(141, all.size(), "every sample in exactly one part");
  }

  @Test
  void rejectsRatiosOfAnotherLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sampling.imbalancedCounts(new int[] {1, 2}, new double[] {1}));
    assertTrue(e.getMessage().contains("2 classes but 1 ratios"));
  }

  private static List<Integer> box(int[] a) {
    return IntStream.of(a).boxed().toList();
  }
}
