package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.loss.SbclTemperatures;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.SubclassCentres;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.bigdl.TrainProjections.Projected;

/** SBCL's per-class cosine k-means on Spark MLlib, on projections with a known structure. */
@ExtendWith(SparkTestSession.class)
class SbclClusteringSparkTest {
  private static final int DIM = 8;

  /**
   * Class 0: 20 samples around one direction. Class 1: 60 samples, 20 around each of three
   * directions, with a length that varies (cosine k-means must not care). Subclass counts per
   * SPEC: 20 // max(20, 10) = 1 and 60 // 20 = 3.
   */
  private static List<Projected> projections(long seed) {
    Random rng = new Random(seed);
    List<Projected> out = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      int label = i < 20 ? 0 : 1;
      int group = label == 0 ? 7 : (i - 20) % 3;
      float[] z = new float[DIM];
      for (int j = 0; j < DIM; j++) {
        z[j] = (float) (0.05 * rng.nextGaussian());
      }
      z[group] += 1f;
      float scale = 0.5f + rng.nextFloat();
      for (int j = 0; j < DIM; j++) {
        z[j] *= scale;
      }
      String id = label + "-" + group + "-" + i;
      out.add(new Projected(new TrainSample(id, label, -1, 1, 1, 1, new byte[1]), z));
    }
    return out;
  }

  private static Map<String, Integer> assign(SubclassCentres c, List<Projected> rows) {
    Map<String, Integer> out = new HashMap<>();
    for (Projected p : rows) {
      out.put(p.sample().id(), c.assign(p.sample().label(), p.z()));
    }
    return out;
  }

  @Test
  void splitsEveryClassIntoItsSubclassCountAlongTheTrueGroupsReproducibly(SparkSession spark) {
    List<Projected> rows = projections(3);
    JavaRDD<Projected> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(rows, 3).cache();
    int[] counts = SbclTemperatures.subclassCounts(new long[] {20, 60});
    assertArrayEquals(new int[] {1, 3}, counts);
    SubclassCentres first = SbclClustering.cluster(spark, rdd, counts, 42);
    SubclassCentres second = SbclClustering.cluster(spark, rdd, counts, 42);
    assertEquals(1, first.count(0));
    assertEquals(3, first.count(1));
    Map<String, Integer> ids = assign(first, rows);
    assertEquals(ids, assign(second, rows), "same projections and seed, same subclasses");
    Map<String, Set<Integer>> byGroup = new HashMap<>();
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      String group = e.getKey().substring(0, e.getKey().lastIndexOf('-'));
      byGroup.computeIfAbsent(group, g -> new HashSet<>()).add(e.getValue());
    }
    assertEquals(Set.of(0), byGroup.get("0-7"));
    Set<Integer> seen = new HashSet<>();
    for (String g : List.of("1-0", "1-1", "1-2")) {
      assertEquals(1, byGroup.get(g).size(), "group " + g + " is one subclass: " + byGroup);
      seen.addAll(byGroup.get(g));
    }
    assertEquals(Set.of(1, 2, 3), seen, "class 1's ids follow class 0's and are all used");
    rdd.unpersist();
  }

  @Test
  void classTemperaturesEqualTheSingleMachineDerivation(SparkSession spark) {
    List<Projected> rows = projections(5);
    JavaRDD<Projected> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(rows, 4);
    int[] counts = {1, 3};
    float[] z = new float[rows.size() * DIM];
    int[] labels = new int[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r).z(), 0, z, r * DIM, DIM);
      labels[r] = rows.get(r).sample().label();
    }
    double[] expected = SbclTemperatures.classTemperatures(z, rows.size(), DIM, labels, counts,
        0.1);
    assertArrayEquals(expected, SbclClustering.classTemperatures(rdd, counts, 0.1), 1e-6);
  }
}
