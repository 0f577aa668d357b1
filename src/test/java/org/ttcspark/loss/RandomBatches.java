package org.ttcspark.loss;

/** Seeded synthetic batches for the loss tests. */
final class RandomBatches {
  private RandomBatches() {}

  /** {@code [V*B, D]} random unit rows, view-major. */
  static float[] unitRows(int rows, int dim, long seed) {
    return LossBenchmark.randomUnitRows(rows, dim, seed);
  }

  /** A batch with labels {@code minority} ones first, then zeros, and two clusters per class. */
  static ContrastiveBatch batch(int b, int views, int dim, int minority, long seed) {
    int[] labels = new int[b];
    int[] clusters = new int[b];
    for (int i = 0; i < b; i++) {
      labels[i] = i < minority ? 1 : 0;
      clusters[i] = labels[i] == 1 ? 10 + i % 2 : 20 + i % 2;
    }
    return ContrastiveBatch.of(unitRows(views * b, dim, seed), b, views, dim, labels, clusters);
  }
}
