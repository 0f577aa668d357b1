package org.ttcspark.metrics.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttcspark.embed.EmbeddingColumns;
import org.ttcspark.embed.EmbeddingRecord;
import org.ttcspark.metrics.ClassificationMetrics;
import org.ttcspark.metrics.ProbeConfig;

/**
 * The linear probe of the paper's protocol on frozen embeddings, with Spark MLlib's
 * {@link LogisticRegression} (binomial, L-BFGS): fit on the train split for each
 * regularisation strength, choose the one with the best validation score, report it on the
 * test split. Only view 0 (the evaluation transform) of each id is used.
 */
public final class LinearProbe {
  private static final Logger LOG = LoggerFactory.getLogger(LinearProbe.class);
  private static final StructType SCHEMA = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("weight", DataTypes.DoubleType, false)
      .add("features", new VectorUDT(), false);

  private LinearProbe() {}

  /**
   * The probe's outcome.
   *
   * @param regParam the chosen regularisation strength
   * @param validationScores select-by score of every strength tried, in order
   * @param trainCounts {@code [2]} training rows per class
   * @param validation the chosen model on the validation split
   * @param test the chosen model on the test split
   */
  public record Result(double regParam, Map<Double, Double> validationScores,
      long[] trainCounts, ClassificationMetrics validation, ClassificationMetrics test) {}

  /**
   * Fits and evaluates the probe.
   *
   * @param embeddings rows in the {@link EmbeddingColumns} schema
   * @throws IllegalArgumentException if a split is empty or the train split lacks a class
   */
  public static Result run(Dataset<Row> embeddings, ProbeConfig config, String source) {
    Dataset<Row> plain = embeddings.filter(functions.col(EmbeddingColumns.VIEW).equalTo(0));
    long[] counts = new long[2];
    for (Row r : plain.filter(functions.col(EmbeddingColumns.SPLIT).equalTo(config.trainSplit()))
        .groupBy(EmbeddingColumns.LABEL).count().collectAsList()) {
      int label = r.getInt(0);
      if (label != 0 && label != 1) {
        throw new IllegalArgumentException(source + " has label " + label + "; the probe is "
            + "binary (0/1)");
      }
      counts[label] = r.getLong(1);
    }
    if (counts[0] == 0 || counts[1] == 0) {
      throw new IllegalArgumentException(source + ": split '" + config.trainSplit() + "' has "
          + counts[0] + " rows of class 0 and " + counts[1] + " of class 1; the probe needs "
          + "both classes to fit");
    }
    double[] weights = config.classWeights().weights(counts);
    int minority = counts[1] <= counts[0] ? 1 : 0;
    Dataset<Row> train = trainingRows(plain, config, weights, counts[0] + counts[1], source)
        .cache();
    Dataset<Row> val = vectors(plain, config.valSplit(), config, weights, source);
    Dataset<Row> test = vectors(plain, config.testSplit(), config, weights, source);
    Map<Double, Double> scores = new LinkedHashMap<>();
    LogisticRegressionModel best = null;
    ClassificationMetrics bestVal = null;
    double bestReg = Double.NaN;
    for (double reg : config.regParams()) {
      LogisticRegressionModel model = fit(train, config, reg);
      ClassificationMetrics m = score(model, val, minority);
      double s = config.selectBy().of(m);
      scores.put(reg, s);
      LOG.info("probe reg-param={} validation {}={}", reg, config.selectBy(), s);
      if (bestVal == null || s > config.selectBy().of(bestVal)) {
        best = model;
        bestVal = m;
        bestReg = reg;
      }
    }
    train.unpersist();
    return new Result(bestReg, scores, counts, bestVal, score(best, test, minority));
  }

  /** MLlib's binomial logistic regression at strength {@code reg} on the training rows. */
  static LogisticRegressionModel fit(Dataset<Row> train, ProbeConfig config, double reg) {
    return new LogisticRegression().setFamily("binomial").setRegParam(reg)
        .setElasticNetParam(config.elasticNet()).setMaxIter(config.maxIter())
        .setStandardization(config.standardize()).setWeightCol("weight").fit(train);
  }

  /**
   * The train split's view-0 rows as label, weight and features; up to
   * {@code probe.single-partition-max-values} in one partition in id order, whatever the
   * embeddings' partitioning, so that the fit's sums run in one order on every run.
   *
   * @param rows the split's rows
   */
  static Dataset<Row> trainingRows(Dataset<Row> plain, ProbeConfig config, double[] weights,
      long rows, String source) {
    Dataset<Row> split = plain.filter(functions.col(EmbeddingColumns.SPLIT)
        .equalTo(config.trainSplit()));
    List<Row> first = split.takeAsList(1);
    long width = first.isEmpty() ? 0 : EmbeddingRecord.floats(first.get(0), config.column()).length;
    if (rows * width <= config.singlePartitionMaxValues()) {
      split = split.repartition(1).sortWithinPartitions(EmbeddingColumns.ID);
    }
    return vectors(split, config.trainSplit(), config, weights, source);
  }

  /** Predictions of {@code model} on {@code rows}, scored on the driver (n triples). */
  private static ClassificationMetrics score(LogisticRegressionModel model, Dataset<Row> rows,
      int minority) {
    List<Row> out = model.transform(rows).select("label", "prediction", "probability")
        .collectAsList();
    int[] truth = new int[out.size()];
    int[] predicted = new int[out.size()];
    double[] score = new double[out.size()];
    for (int i = 0; i < truth.length; i++) {
      Row r = out.get(i);
      truth[i] = (int) r.getDouble(0);
      predicted[i] = (int) r.getDouble(1);
      score[i] = ((Vector) r.get(2)).apply(1);
    }
    return ClassificationMetrics.of(truth, predicted, score, minority);
  }

  private static Dataset<Row> vectors(Dataset<Row> plain, String split, ProbeConfig config,
      double[] weights, String source) {
    Dataset<Row> rows = plain.filter(functions.col(EmbeddingColumns.SPLIT).equalTo(split));
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(source + " has no view-0 rows of split '" + split
          + "'; check probe." + (split.equals(config.trainSplit()) ? "train" : split.equals(
              config.valSplit()) ? "val" : "test") + "-split");
    }
    String column = config.column();
    JavaRDD<Row> converted = rows.javaRDD().map(r -> {
      int label = r.getInt(r.fieldIndex(EmbeddingColumns.LABEL));
      float[] x = EmbeddingRecord.floats(r, column);
      double[] v = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        v[i] = x[i];
      }
      // a label outside 0/1 is rejected when scored; weigh it 1 meanwhile
      double w = label == 0 || label == 1 ? weights[label] : 1.0;
      return RowFactory.create((double) label, w, Vectors.dense(v));
    });
    return plain.sparkSession().createDataFrame(converted, SCHEMA);
  }
}
