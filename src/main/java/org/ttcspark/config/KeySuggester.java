package org.ttcspark.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the valid key nearest to a mistyped one, for "did you mean ..." hints. */
final class KeySuggester {
  private KeySuggester() {}

  /**
   * The candidate with the smallest edit distance to {@code key}, if it is close enough to be a
   * plausible typo (at most a third of the key's length, at least 2 edits allowed). Distances
   * are computed both on the whole path and on its last segment, so that
   * {@code train.batchsize} finds {@code train.batch-size} and {@code batch-size} finds it too.
   */
  static Optional<String> nearest(String key, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lowerKey = key.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      String lower = candidate.toLowerCase(Locale.ROOT);
      int whole = distance(lowerKey, lower);
      int tail = distance(lastSegment(lowerKey), lastSegment(lower)) + (lowerKey.contains(".") ? 1 : 0);
      int d = Math.min(whole, tail);
      if (d < bestDistance || (d == bestDistance && best != null && candidate.compareTo(best) < 0)) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, lastSegment(key).length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static String lastSegment(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  /** Levenshtein distance with '-' and '_' treated as equal, since both separate words. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = same(a.charAt(i - 1), b.charAt(j - 1)) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private static boolean same(char x, char y) {
    return x == y || (isSeparator(x) && isSeparator(y));
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '_';
  }
}
