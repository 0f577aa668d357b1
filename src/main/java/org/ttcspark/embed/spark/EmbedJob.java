package org.ttcspark.embed.spark;

import com.intel.analytics.bigdl.nn.Sequential;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
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
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.model.bigdl.SharedEvalModel;
import org.ttcspark.platform.EngineType;

/**
 * Embeds the splits of a prepared dataset with a trained encoder: on the executors every image
 * is decoded, transformed (evaluation transform, or V seeded augmented views), normalised with
 * the manifest's statistics and forwarded in batches; the backbone's pooled output is the
 * feature, the second module's output (projection head, or the classifier of a cross-entropy
 * model), L2-normalised, is the projection. Rows follow {@link EmbeddingColumns}.
 *
 * <p>The model is broadcast once; each executor evaluates with one copy of the backbone (an
 * IRGraph built for inference on the MKL-DNN engine, BigDL's layers on MKL BLAS) and of the
 * head, in evaluation mode, so BatchNorm uses the running statistics saved with the checkpoint
 * ({@link EvalForward}).
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
   * @param plan engine and images per forward ({@code engine.inference-batch})
   * @return rows written
   */
  public static long run(SparkSession spark, AbstractModule<Activity, Activity, Object> model,
      PreparedDataset dataset, EmbedConfig cfg, ViewTransform transform, long runSeed,
      String output, EvalForward.Plan plan) throws IOException {
    if (!(model instanceof Sequential)) {
      throw new IllegalArgumentException("the checkpoint holds a " + model.getClass().getName()
          + ", not an encoder written by ttc pretrain or ttc train-ce");
    }
    var manifest = dataset.manifest();
    float[] mean = manifest.meanFloats();
    float[] std = manifest.stdFloats();
    int channels = manifest.channels();
    SharedEvalModel shared = SharedEvalModel.of(spark.sparkContext(), model, plan);
    // the head is two small Linear layers on [n, features]: BigDL's own layers suffice
    EvalForward.Plan headPlan = new EvalForward.Plan(EngineType.MKLBLAS, plan.batch(),
        plan.cores());
    List<String> splits = cfg.splits();
    Dataset<Row> rows = dataset.all().where(org.apache.spark.sql.functions.col(Columns.SPLIT)
        .isin(splits.toArray()));
    boolean hasSubtype = java.util.Arrays.asList(rows.columns()).contains(Columns.SUBTYPE);
    JavaRDD<Row> input = rows.select(Columns.ID, Columns.SPLIT, Columns.LABEL,
        hasSubtype ? Columns.SUBTYPE : Columns.LABEL, Columns.IMAGE).javaRDD();
    int views = cfg.views();
    int batch = plan.batch();
    JavaRDD<Row> out = input.mapPartitions(it -> {
      List<Row> result = new ArrayList<>();
      try (EvalForward backbone = shared.open("backbone", EmbedJob::backbone, plan);
          EvalForward head = shared.open("head", EmbedJob::head, headPlan)) {
        Forward forward = new Forward(backbone, head);
        List<Pending> pending = new ArrayList<>();
        while (it.hasNext()) {
          Row r = it.next();
          Image img = decode((byte[]) r.get(4), channels);
          Integer subtype = hasSubtype && !r.isNullAt(3) ? r.getInt(3) : null;
          for (int v = 0; v < views; v++) {
            long seed = Augmentations.viewSeed(runSeed, 0,
                Augmentations.sampleKey(r.getString(0)), v);
            float[] x = Augmentations.normalize(transform.apply(img, seed), mean, std);
            pending.add(new Pending(r.getString(0), r.getString(1), r.getInt(2), subtype, v, x));
            if (pending.size() == batch) {
              forward.run(pending, channels, result);
            }
          }
        }
        forward.run(pending, channels, result);
      }
      return result.iterator();
    });
    long n;
    try {
      Dataset<Row> frame = spark.createDataFrame(out, EmbeddingColumns.SCHEMA);
      EmbeddingsWriter.write(frame, output);
      n = spark.read().parquet(output).count();
    } finally {
      shared.close(false);
    }
    LOG.info("embed: {} rows ({} views) of splits {} written to {} ({} images per forward, {})",
        n, views, splits, output, batch, plan.engine().property());
    return n;
  }

  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> backbone(
      AbstractModule<Activity, Activity, Object> encoder) {
    return Encoders.backbone((Sequential<Object>) (Object) encoder);
  }

  @SuppressWarnings("unchecked")
  private static AbstractModule<Activity, Activity, Object> head(
      AbstractModule<Activity, Activity, Object> encoder) {
    return ((Sequential<Object>) (Object) encoder).modules().apply(Encoders.HEAD);
  }

  private static Image decode(byte[] bytes, int channels) {
    Images.Planar p = Images.decodePlanar(bytes, channels);
    return new Image(channels, p.height(), p.width(), p.pixels());
  }

  /** One transformed view waiting for its batch. */
  private record Pending(String id, String split, int label, Integer subtype, int view,
      float[] pixels) {}

  /** Batched forward through the backbone, then the head, on the executor's copies. */
  private static final class Forward {
    private final EvalForward backbone;
    private final EvalForward head;

    Forward(EvalForward backbone, EvalForward head) {
      this.backbone = backbone;
      this.head = head;
    }

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
      float[] f = backbone.forward(x, n, channels, side, side);
      int fd = f.length / n;
      float[] p = head.forward(f, n, fd);
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
