package org.ttcspark.metrics.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ttcspark.metrics.EmbeddingBlock;
import org.ttcspark.metrics.StackedRow;

/**
 * The first two principal components (Spark MLlib {@link PCA}) of L2-normalised embeddings,
 * for the scatter plot. PCA is fitted on all rows; at most {@code maxPoints} projected rows
 * (a seeded sample) come back to the driver.
 *
 * @param xy {@code [m, 2]} coordinates
 * @param labels {@code [m]} classes
 * @param subtypes {@code [m]} sub-types, or null when the rows carry none
 */
public record EmbeddingProjection(double[][] xy, int[] labels, int[] subtypes) {
  private static final StructType SCHEMA = new StructType()
      .add("label", DataTypes.IntegerType, false)
      .add("subtype", DataTypes.IntegerType, true)
      .add("x", new VectorUDT(), false);

  /** Projects {@code rows} onto their first two principal components. */
  public static EmbeddingProjection of(SparkSession spark, JavaRDD<StackedRow> rows,
      int maxPoints, long seed) {
    JavaRDD<Row> vectors = rows.map(r -> RowFactory.create(r.label(), r.subtype(),
        Vectors.dense(EmbeddingBlock.unit(r.values(), r.row(), "plot"))));
    Dataset<Row> df = spark.createDataFrame(vectors, SCHEMA);
    PCAModel pca = new PCA().setInputCol("x").setOutputCol("pc").setK(2).fit(df);
    long count = df.count();
    Dataset<Row> shown = count > maxPoints
        ? df.sample(false, Math.min(1.0, 1.05 * maxPoints / count), seed).limit(maxPoints) : df;
    List<Row> points = pca.transform(shown).select("label", "subtype", "pc").collectAsList();
    double[][] xy = new double[points.size()][];
    int[] labels = new int[points.size()];
    boolean subtyped = !points.isEmpty() && !points.get(0).isNullAt(1);
    int[] subtypes = subtyped ? new int[points.size()] : null;
    for (int i = 0; i < points.size(); i++) {
      Row p = points.get(i);
      xy[i] = ((Vector) p.get(2)).toArray();
      labels[i] = p.getInt(0);
      if (subtyped) {
        subtypes[i] = p.isNullAt(1) ? 0 : p.getInt(1);
      }
    }
    return new EmbeddingProjection(xy, labels, subtypes);
  }
}
