package org.ttcspark.metrics;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The representation metrics of "A Tale of Two Classes" (Mildenberger et al., CVPR 2025,
 * section 5) per class, as {@code ttc metrics} writes them.
 *
 * @param n rows N = samples x views
 * @param views V
 * @param k neighbours used by CAC, max(1, floor(0.05 N))
 * @param saa sample alignment accuracy, percent; null for V = 1 (no other views exist)
 * @param cac class alignment consistency over the k nearest other rows, percent
 * @param sad sample alignment distance (Euclidean, unit vectors); null for V = 1
 * @param cad class alignment distance, self included
 * @param gpu Gaussian potential uniformity, mean over pairs of exp(-t ||x - y||^2)
 * @param subtypeKnn percent of rows whose nearest row of the same class and another sample has
 *     the same sub-type: how well the class keeps its latent structure (low = collapse);
 *     null when the embeddings carry no sub-type
 */
public record RepresentationMetrics(int n, int views, int k, PerClass saa, PerClass cac,
    PerClass sad, PerClass cad, PerClass gpu, PerClass subtypeKnn) implements Serializable {

  /**
   * The README, "ttc metrics" JSON object: {@code {"n","views","k","saa","cac","sad","cad","gpu"}} with class
   * keys "0" and "1", plus {@code "subtype_knn"} only when sub-types were present.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("views", views);
    m.put("k", k);
    m.put("saa", saa.toJson());
    m.put("cac", cac.toJson());
    m.put("sad", sad.toJson());
    m.put("cad", cad.toJson());
    m.put("gpu", gpu.toJson());
    if (subtypeKnn != null) {
      m.put("subtype_knn", subtypeKnn.toJson());
    }
    return m;
  }

  /**
   * Computes every metric in memory: the reference path for small inputs and tests. The
   * distributed job runs the same {@link NeighbourScan} per block.
   *
   * @param blocks the whole stack, cut into consecutive blocks in row order
   */
  public static RepresentationMetrics compute(StackLayout layout, java.util.List<EmbeddingBlock>
      blocks) {
    RepresentationAccumulator total = new RepresentationAccumulator(layout);
    for (EmbeddingBlock rows : blocks) {
      NeighbourScan scan = new NeighbourScan(layout, rows);
      for (EmbeddingBlock columns : blocks) {
        scan.scan(columns);
      }
      total.merge(scan.finish());
    }
    return total.result();
  }
}
