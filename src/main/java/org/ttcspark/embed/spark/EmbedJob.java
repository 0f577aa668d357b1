package org.ttcspark.embed.spark;

import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import com.intel.analytics.bigdl.utils.Engine$;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttcspark.augment.Augmentations;
import org.ttcspark.augment.Image;
import org.ttcspark.augment.ViewTransform;
import org.ttcspark.data.Columns;
import org.ttcspark.data.Images;
import org.ttcspark.data.PreparedDataset;
import org.ttcspark.embed.EmbedConfig;
import org.ttcspark.embed.EmbeddingColumns;
import org.ttcspark.embed.EmbeddingRecord;
import org.ttcspark.embed.EmbeddingsWriter;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.platform.Bigdl;

/**
 * Embeds the splits of a prepared dataset with a trained encoder: on the executors every image
 * is decoded, transformed (evaluation transform, or V seeded augmented views), normalised with
 * the manifest's statistics and forwarded in batches; the backbone's pooled output is the
 * feature, the second module's output (projection head, or the classifier of a cross-entropy
 * model), L2-normalised, is the projection. Rows follow {@link EmbeddingColumns}.
 *
 * <p>The model is broadcast once and cloned per task (BigDL modules keep per-forward state and
 * are not thread-safe); inference runs on BigDL's BLAS layers in evaluation mode, so BatchNorm
 * uses the running statistics saved with the checkpoint.
 */
public final class EmbedJob {
  private static final Logger LOG = LoggerFactory.getLogger(EmbedJob.class);

  private EmbedJob() {}

  /**
   * Embeds and writes {@code output} atomically.
   *
   * @param model the encoder (backbone at index 0, head or classifier at index 1)
   * @param transform the evaluation transform (views == 1) or the training recipe
   * @param runSeed seed of the augmented views
   * @return rows written
   */
  public static long run(SparkSession spark, AbstractModule<Activity, Activity, Object> model,
      PreparedDataset dataset, EmbedConfig cfg, ViewTransform transform, long runSeed,
      String output) throws IOException {
    if (!(model instanceof Sequential)) {
      throw new IllegalArgumentException("the checkpoint holds a " + model.getClass().getName()
          + ", not an encoder written by ttc pretrain or ttc train-ce");
    }
    var manifest = dataset.manifest();
    float[] mean = manifest.meanFloats();
    float[] std = manifest.stdFloats();
    int channels = manifest.channels();
    int cores = Engine$.MODULE$.coreNumber();
    Broadcast<AbstractModule<Activity, Activity, Object>> shared =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.evaluate());
    List<String> splits = cfg.splits();
    Dataset<Row> rows = dataset.all().where(org.apache.spark.sql.functions.col(Columns.SPLIT)
        .isin(splits.toArray()));
    boolean hasSubtype = java.util.Arrays.asList(rows.columns()).contains(Columns.SUBTYPE);
    JavaRDD<Row> input = rows.select(Columns.ID, Columns.SPLIT, Columns.LABEL,
        hasSubtype ? Columns.SUBTYPE : Columns.LABEL, Columns.IMAGE).javaRDD();
    int views = cfg.views();
    int batch = cfg.batchSize();
    JavaRDD<Row> out = input.mapPartitions(it -> {
      ensureEngine(cores);
      @SuppressWarnings("unchecked")
      Sequential<Object> encoder = (Sequential<Object>) (Object) shared.value().cloneModule();
      encoder.evaluate();
      Forward forward = new Forward(encoder);
      List<Row> result = new ArrayList<>();
      List<Pending> pending = new ArrayList<>();
      while (it.hasNext()) {
        Row r = it.next();
        Image img = decode((byte[]) r.get(4), channels);
        Integer subtype = hasSubtype && !r.isNullAt(3) ? r.getInt(3) : null;
        for (int v = 0; v < views; v++) {
          long seed = Augmentations.viewSeed(runSeed, 0, Augmentations.sampleKey(r.getString(0)), v);
          float[] x = Augmentations.normalize(transform.apply(img, seed), mean, std);
          pending.add(new Pending(r.getString(0), r.getString(1), r.getInt(2), subtype, v, x));
          if (pending.size() == batch) {
            forward.run(pending, channels, result);
          }
        }
      }
      forward.run(pending, channels, result);
      return result.iterator();
    });
    Dataset<Row> frame = spark.createDataFrame(out, EmbeddingColumns.SCHEMA);
    EmbeddingsWriter.write(frame, output);
    long n = spark.read().parquet(output).count();
    shared.destroy();
    LOG.info("embed: {} rows ({} views) of splits {} written to {}", n, views, splits, output);
    return n;
  }

  /** BigDL's thread pools must exist in an executor JVM before a layer runs. */
  private static void ensureEngine(int cores) {
    try {
      Engine$.MODULE$.coreNumber();
    } catch (RuntimeException notInitialised) {
      Engine$.MODULE$.setNodeAndCore(1, Math.max(1, cores));
    }
  }

  private static Image decode(byte[] bytes, int channels) {
    Images.Planar p = Images.decodePlanar(bytes, channels);
    return new Image(channels, p.height(), p.width(), p.pixels());
  }

  /** One transformed view waiting for its batch. */
  private record Pending(String id, String split, int label, Integer subtype, int view,
      float[] pixels) {}

  /** Batched forward through the backbone, then the head, on one task's model copy. */
  private static final class Forward {
    private final AbstractModule<Activity, Activity, Object> backbone;
    private final AbstractModule<Activity, Activity, Object> head;

    Forward(Sequential<Object> encoder) {
      this.backbone = Encoders.backbone(encoder);
      this.head = encoder.modules().apply(Encoders.HEAD);
    }

    @SuppressWarnings("unchecked")
    void run(List<Pending> pending, int channels, List<Row> result) {
      if (pending.isEmpty()) {
        return;
      }
      int n = pending.size();
      int plane = pending.get(0).pixels().length;
      int side = (int) Math.round(Math.sqrt(plane / (double) channels));
      float[] x = new float[n * plane];
      for (int i = 0; i < n; i++) {
        System.arraycopy(pending.get(i).pixels(), 0, x, i * plane, plane);
      }
      Tensor<Object> features = (Tensor<Object>) backbone.forward(
          Bigdl.tensor(x, n, channels, side, side));
      float[] f = Bigdl.toArray(features);
      Tensor<Object> projections = (Tensor<Object>) head.forward(features);
      float[] p = Bigdl.toArray(projections);
      int fd = f.length / n;
      int pd = p.length / n;
      for (int i = 0; i < n; i++) {
        Pending q = pending.get(i);
        float[] feature = java.util.Arrays.copyOfRange(f, i * fd, (i + 1) * fd);
        float[] projection = unit(java.util.Arrays.copyOfRange(p, i * pd, (i + 1) * pd));
        result.add(new EmbeddingRecord(q.id(), q.split(), q.label(), q.subtype(), q.view(),
            feature, projection).toRow());
      }
      pending.clear();
    }

    private static float[] unit(float[] v) {
      double s = 0;
      for (float x : v) {
        s += (double) x * x;
      }
      double norm = Math.sqrt(s);
      if (norm > 0) {
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (v[i] / norm);
        }
      }
      return v;
    }
  }
}
