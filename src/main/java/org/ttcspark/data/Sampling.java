package org.ttcspark.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The seeded sampling of README, "Preparing data", over per-class lists of ids (index = label). Inputs
 * must come in a deterministic order (callers sort by id) so that the same seed gives the same
 * selection. Every method returns new lists and leaves its inputs untouched.
 */
public final class Sampling {
  private Sampling() {}

  /**
   * Per-class counts of the ratio step: class c keeps {@code floor(m * ratios[c])} samples with
   * m the smallest class size, or all n_c when fewer exist.
   *
   * @param sizes n_c per class
   * @param ratios per class, summing to 1
   */
  public static int[] imbalancedCounts(int[] sizes, double[] ratios) {
    if (sizes.length != ratios.length) {
      throw new IllegalArgumentException(sizes.length + " classes but " + ratios.length
          + " ratios; give one ratio per class");
    }
    int m = Integer.MAX_VALUE;
    for (int n : sizes) {
      m = Math.min(m, n);
    }
    int[] counts = new int[sizes.length];
    for (int c = 0; c < sizes.length; c++) {
      // The epsilon keeps floor(100 * 0.29) at 29 despite 0.29 being 0.28999... in binary.
      counts[c] = Math.min(sizes[c], (int) Math.floor(m * ratios[c] + 1e-9));
    }
    return counts;
  }

  /**
   * Scales per-class counts down by one factor so that they sum to at most {@code limit}
   * (0 = no limit), keeping their ratio; a class with images keeps at least one.
   */
  public static int[] limited(int[] counts, int limit) {
    long total = 0;
    for (int n : counts) {
      total += n;
    }
    if (limit <= 0 || total <= limit) {
      return counts.clone();
    }
    int[] out = new int[counts.length];
    for (int c = 0; c < counts.length; c++) {
      out[c] = counts[c] == 0 ? 0 : Math.max(1, (int) (counts[c] * (double) limit / total));
    }
    return out;
  }

  /** The ratio step: {@link #imbalancedCounts} samples per class, without replacement. */
  public static <T> List<List<T>> imbalance(List<List<T>> byClass, double[] ratios, long seed) {
    return imbalance(byClass, ratios, 0, seed);
  }

  /** The ratio step with at most {@code limit} samples in all ({@link #limited}; 0 = all). */
  public static <T> List<List<T>> imbalance(List<List<T>> byClass, double[] ratios, int limit,
      long seed) {
    return take(byClass, limited(imbalancedCounts(sizes(byClass), ratios), limit), seed);
  }

  /** Cuts every class to the smallest class's size (val, test, and the balanced option). */
  public static <T> List<List<T>> balance(List<List<T>> byClass, long seed) {
    return balance(byClass, 0, seed);
  }

  /**
   * Cuts every class to the smallest class's size and to {@code limit / classes} (0 = no
   * limit).
   */
  public static <T> List<List<T>> balance(List<List<T>> byClass, int limit, long seed) {
    int[] sizes = sizes(byClass);
    int m = limit > 0 ? limit / byClass.size() : Integer.MAX_VALUE;
    for (int n : sizes) {
      m = Math.min(m, n);
    }
    int[] counts = new int[sizes.length];
    java.util.Arrays.fill(counts, m);
    return take(byClass, counts, seed);
  }

  /**
   * The upsample option: with total = all samples, every class gets total / classes: larger
   * classes are cut (without replacement), smaller ones repeated whole as often as fits and
   * topped up with a seeded sample without replacement.
   *
   * @return per class, the chosen samples with their copy number (0 for the first copy)
   */
  public static <T> List<List<Copy<T>>> upsample(List<List<T>> byClass, long seed) {
    int total = 0;
    for (List<T> c : byClass) {
      total += c.size();
    }
    int target = total / byClass.size();
    List<List<Copy<T>>> out = new ArrayList<>();
    for (int c = 0; c < byClass.size(); c++) {
      List<T> items = byClass.get(c);
      List<Copy<T>> chosen = new ArrayList<>(target);
      if (items.isEmpty()) {
        out.add(chosen);
        continue;
      }
      int whole = target / items.size();
      for (int k = 0; k < whole; k++) {
        for (T item : items) {
          chosen.add(new Copy<>(item, k));
        }
      }
      for (T item : shuffled(items, seed, c).subList(0, target - whole * items.size())) {
        chosen.add(new Copy<>(item, whole));
      }
      out.add(chosen);
    }
    return out;
  }

  /**
   * Splits every class into parts of the given fractions (seeded, stratified). Part k of class
   * c gets {@code round(n_c * fractions[k])} samples for k >= 1; part 0 gets the rest.
   *
   * @return parts[k] per class
   */
  public static <T> List<List<List<T>>> stratifiedSplit(List<List<T>> byClass,
      double[] fractions, long seed) {
    List<List<List<T>>> parts = new ArrayList<>();
    for (int k = 0; k < fractions.length; k++) {
      parts.add(new ArrayList<>());
    }
    for (int c = 0; c < byClass.size(); c++) {
      List<T> items = shuffled(byClass.get(c), seed, c);
      int n = items.size();
      int end = n;
      for (int k = fractions.length - 1; k >= 1; k--) {
        int size = Math.min(end, (int) Math.round(n * fractions[k]));
        parts.get(k).add(new ArrayList<>(items.subList(end - size, end)));
        end -= size;
      }
      parts.get(0).add(new ArrayList<>(items.subList(0, end)));
    }
    return parts;
  }

  /** Seeded choice of {@code counts[c]} samples of each class, without replacement. */
  public static <T> List<List<T>> take(List<List<T>> byClass, int[] counts, long seed) {
    List<List<T>> out = new ArrayList<>();
    for (int c = 0; c < byClass.size(); c++) {
      List<T> items = byClass.get(c);
      out.add(new ArrayList<>(shuffled(items, seed, c).subList(0, Math.min(counts[c],
          items.size()))));
    }
    return out;
  }

  /** One chosen sample and which repetition of it this is (0 = the original). */
  public record Copy<T>(T item, int copy) {}

  private static int[] sizes(List<? extends List<?>> byClass) {
    return byClass.stream().mapToInt(List::size).toArray();
  }

  private static <T> List<T> shuffled(List<T> items, long seed, int c) {
    List<T> copy = new ArrayList<>(items);
    // One stream per class, so that one class's size never changes another class's choice.
    Collections.shuffle(copy, new Random(seed * 0x9E3779B97F4A7C15L + c));
    return copy;
  }
}
