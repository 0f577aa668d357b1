package org.ttcspark.train.bigdl;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ttcspark.loss.SbclTemperatures;
import org.ttcspark.train.SubclassCentres;
import org.ttcspark.train.bigdl.TrainProjections.Projected;

/**
 * SBCL's subclasses (Hou et al., ICCV 2023, and README, "SBCL in pretrain"): every class c of
 * the train split is split into {@code k_c} subclasses by Spark MLlib's k-means with the cosine
 * distance over the projections of its samples ({@code k_c} from
 * {@link SbclTemperatures#subclassCounts}; a class with {@code k_c = 1} is one subclass), and
 * the {@code rank} variant's class temperatures are derived from how spread out each class is.
 * Everything runs distributed; the driver holds the centres and per-class sums only. Seeded:
 * the same projections and seed give the same subclasses.
 */
public final class SbclClustering {
  private static final String LABEL = "label";
  private static final String FEATURES = "features";

  private SbclClustering() {}

  /**
   * Cosine k-means per class.
   *
   * @param projected unit projections of the train split (persisted by the caller)
   * @param subclassCounts {@code k_c} per class
   * @param seed seed of this clustering (k-means|| initialisation)
   * @throws IllegalArgumentException when a class has no samples
   */
  public static SubclassCentres cluster(SparkSession spark, JavaRDD<Projected> projected,
      int[] subclassCounts, long seed) {
    ClassSums sums = ClassSums.of(projected, subclassCounts.length);
    StructType schema = new StructType().add(LABEL, DataTypes.IntegerType)
        .add(FEATURES, SQLDataTypes.VectorType());
    Dataset<Row> frame = spark.createDataFrame(projected.map(p -> RowFactory.create(
        p.sample().label(), Vectors.dense(toDoubles(p.z())))), schema);
    float[][] centres = new float[subclassCounts.length][];
    for (int c = 0; c < subclassCounts.length; c++) {
      if (sums.count[c] == 0) {
        throw new IllegalArgumentException("class " + c + " has no train samples to cluster");
      }
      centres[c] = subclassCounts[c] <= 1 ? sums.meanDirection(c)
          : kMeans(frame.where(frame.col(LABEL).equalTo(c)), subclassCounts[c], org.ttcspark.platform.Seeds.derive(seed, c));
    }
    return new SubclassCentres(sums.dim, centres);
  }

  /**
   * SBCL rank's temperature per class from the projections' spread
   * ({@link SbclTemperatures#fromSpread}: mean distance to the class mean).
   */
  public static double[] classTemperatures(JavaRDD<Projected> projected, int[] subclassCounts,
      double tau) {
    int classes = subclassCounts.length;
    ClassSums sums = ClassSums.of(projected, classes);
    double[][] mean = new double[classes][sums.dim];
    for (int c = 0; c < classes; c++) {
      for (int j = 0; j < sums.dim; j++) {
        mean[c][j] = sums.count[c] == 0 ? 0 : sums.sum[c][j] / sums.count[c];
      }
    }
    double[] distance = projected.treeAggregate(new double[classes], (acc, p) -> {
      int c = p.sample().label();
      double sq = 0;
      for (int j = 0; j < p.z().length; j++) {
        double diff = p.z()[j] - mean[c][j];
        sq += diff * diff;
      }
      acc[c] += Math.sqrt(sq);
      return acc;
    }, SbclClustering::add);
    for (int c = 0; c < classes; c++) {
      distance[c] = sums.count[c] == 0 ? 0 : distance[c] / sums.count[c];
    }
    return SbclTemperatures.fromSpread(distance, sums.count, subclassCounts, tau);
  }

  private static float[] kMeans(Dataset<Row> rows, int k, long seed) {
    KMeansModel model = new KMeans().setK(k).setSeed(seed).setDistanceMeasure("cosine")
        .setFeaturesCol(FEATURES).fit(rows);
    List<float[]> out = new ArrayList<>();
    for (Vector v : model.clusterCenters()) {
      float[] f = new float[v.size()];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) v.apply(j);
      }
      out.add(f);
    }
    int d = out.get(0).length;
    float[] rows2 = new float[out.size() * d];
    for (int i = 0; i < out.size(); i++) {
      System.arraycopy(out.get(i), 0, rows2, i * d, d);
    }
    return rows2;
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  private static double[] add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** Per-class count and sum of the projections, added up distributed. */
  private static final class ClassSums {
    final int dim;
    final long[] count;
    final double[][] sum;

    private ClassSums(int dim, long[] count, double[][] sum) {
      this.dim = dim;
      this.count = count;
      this.sum = sum;
    }

    static ClassSums of(JavaRDD<Projected> projected, int classes) {
      int dim = projected.first().z().length;
      // one flat accumulator per class: [count, sum_0 .. sum_{D-1}]
      double[] flat = projected.treeAggregate(new double[classes * (dim + 1)], (acc, p) -> {
        int at = p.sample().label() * (dim + 1);
        acc[at] += 1;
        for (int j = 0; j < dim; j++) {
          acc[at + 1 + j] += p.z()[j];
        }
        return acc;
      }, SbclClustering::add);
      long[] count = new long[classes];
      double[][] sum = new double[classes][dim];
      for (int c = 0; c < classes; c++) {
        count[c] = (long) flat[c * (dim + 1)];
        System.arraycopy(flat, c * (dim + 1) + 1, sum[c], 0, dim);
      }
      return new ClassSums(dim, count, sum);
    }

    /** The class's mean direction, or the first axis when it is zero (one subclass: unused). */
    float[] meanDirection(int c) {
      float[] m = new float[dim];
      double sq = 0;
      for (int j = 0; j < dim; j++) {
        sq += sum[c][j] * sum[c][j];
      }
      for (int j = 0; j < dim; j++) {
        m[j] = sq > 0 ? (float) sum[c][j] : (j == 0 ? 1f : 0f);
      }
      return m;
    }
  }
}
