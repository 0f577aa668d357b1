package org.ttcspark.data.spark;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.ttcspark.config.ConfigReader;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.Images;
import org.ttcspark.data.Manifest;
import org.ttcspark.data.PixelStats;
import org.ttcspark.data.PrepareConfig;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Versions;

/**
 * The {@code prepare} Spark job: plan (driver: list, check, sample ids), then read, decode,
 * validate and measure on the executors in one pass that writes Parquet partitioned by split
 * into a hidden temporary folder beside the target; the manifest goes in last and the folder
 * is renamed onto the target. On any failure the temporary folder is deleted.
 */
public final class PrepareJob {
  /** The row schema of {@link Columns}, in column order. */
  public static final StructType SCHEMA = new StructType()
      .add(Columns.ID, DataTypes.StringType, false)
      .add(Columns.SPLIT, DataTypes.StringType, false)
      .add(Columns.LABEL, DataTypes.IntegerType, false)
      .add(Columns.CLASS_NAME, DataTypes.StringType, false)
      .add(Columns.SUBTYPE, DataTypes.IntegerType, true)
      .add(Columns.HEIGHT, DataTypes.IntegerType, false)
      .add(Columns.WIDTH, DataTypes.IntegerType, false)
      .add(Columns.CHANNELS, DataTypes.IntegerType, false)
      .add(Columns.IMAGE, DataTypes.BinaryType, false)
      .add(Columns.SOURCE, DataTypes.StringType, false);
  private static final int NAMED_IN_ERRORS = 5;

  private PrepareJob() {}

  /**
   * Prepares {@code dataset.prepared()} from the source.
   *
   * @param parameters the resolved sections to record in the manifest
   * @return the manifest written
   * @throws IllegalArgumentException for bad input (before any image is read) and for too many
   *     undecodable images (after the pass; nothing is left behind)
   */
  public static Manifest run(SparkSession spark, DatasetConfig dataset, PrepareConfig prepare,
      long seed, Map<String, Object> parameters) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path target = new Path(dataset.prepared());
    FileSystem fs = target.getFileSystem(conf);
    if (fs.exists(target) && !prepare.overwrite()) {
      throw new IllegalArgumentException("dataset.prepared = " + target + " exists; set "
          + "prepare.overwrite=true to replace it or choose another folder");
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf shipped = new HadoopConf(conf);
    SourceReader reader = reader(dataset, seed);
    SourceReader.Plan plan = unwrapping(() -> reader.plan(jsc, shipped));
    List<Candidate> selected = Selection.select(plan, dataset, seed);

    CollectionAccumulator<String> bad = spark.sparkContext().collectionAccumulator("bad records");
    StatsAccumulator stats = new StatsAccumulator();
    spark.sparkContext().register(stats, "train pixel statistics");
    StatsAccumulator shapes = new StatsAccumulator();
    spark.sparkContext().register(shapes, "image shapes of every split");
    int partitions = Math.max(1, Math.min(selected.size(), prepare.partitions() > 0
        ? prepare.partitions() : jsc.defaultParallelism() * 4));
    JavaRDD<Row> rows = jsc.parallelize(selected, partitions).mapPartitions(
        it -> new Decoding(reader.load(it, shipped.get()), bad, stats, shapes));

    Path tmp = HadoopFiles.temporarySibling(target);
    boolean done = false;
    try {
      unwrapping(() -> {
        spark.createDataFrame(rows, SCHEMA).write().partitionBy(Columns.SPLIT)
            .parquet(tmp.toString());
        return null;
      });
      List<String> badRecords = new ArrayList<>(plan.skipped());
      badRecords.addAll(bad.value());
      checkBadFraction(badRecords, selected.size() + plan.skipped().size(),
          prepare.maxBadFraction());
      PixelStats train = stats.value();
      PixelStats all = shapes.value();
      Manifest manifest = new Manifest(ConfigReader.kebab(dataset.source()), parameters, seed,
          counts(spark, tmp), plan.classNames(), all.commonHeight(), all.commonWidth(),
          all.channels(), train.mean(), train.std(), badRecords, Instant.now().toString(),
          Versions.ttc());
      HadoopFiles.writeString(new Path(tmp, Columns.MANIFEST), conf, manifest.toJson());
      HadoopFiles.replace(fs, tmp, target);
      done = true;
      return manifest;
    } finally {
      if (!done) {
        fs.delete(tmp, true);
      }
    }
  }

  static SourceReader reader(DatasetConfig d, long seed) {
    switch (d.source()) {
      case INAT21: return new Inat21Reader(d.path(), d.inat21().prefixes());
      case MEDMNIST: return new MedmnistReader(d.path(), d.medmnist());
      case FRACATLAS: return new FracatlasReader(d.path(), d.fracatlas().labelColumn(),
          d.fracatlas().fractions(), seed + 5);
      case FASHION_MNIST: return new FashionMnistReader(d.path(), d.fashionMnist());
      case IMAGEFOLDER: return new ImageFolderReader(d.path());
      default: return new SyntheticReader(d.synthetic(), seed);
    }
  }

  private static void checkBadFraction(List<String> badRecords, long examined, double max) {
    if (badRecords.size() > max * examined) {
      throw new IllegalArgumentException(badRecords.size() + " of " + examined + " inputs "
          + "could not be used, more than prepare.max-bad-fraction = " + max + "; first: "
          + String.join("; ", badRecords.subList(0, Math.min(NAMED_IN_ERRORS, badRecords.size())))
          + ". Nothing was written; fix or remove them, or raise prepare.max-bad-fraction");
    }
  }

  private static Map<String, Map<String, Long>> counts(SparkSession spark, Path folder) {
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    for (String split : List.of(Columns.TRAIN, Columns.VAL, Columns.TEST)) {
      counts.put(split, new LinkedHashMap<>());
    }
    for (Row r : spark.read().parquet(folder.toString()).groupBy(Columns.SPLIT, Columns.LABEL)
        .count().orderBy(Columns.SPLIT, Columns.LABEL).collectAsList()) {
      counts.get(r.getString(0)).put(Integer.toString(r.getInt(1)), r.getLong(2));
    }
    return counts;
  }

  /** Runs a step, turning an executor's IllegalArgumentException back into one. */
  private static <T> T unwrapping(Step<T> step) throws IOException {
    try {
      return step.run();
    } catch (SparkException e) {
      throw rethrown(e, new IllegalStateException(e.getMessage(), e));
    } catch (RuntimeException e) {
      throw e.getCause() instanceof SparkException ? rethrown(e.getCause(), e) : e;
    }
  }

  private static RuntimeException rethrown(Throwable e, RuntimeException fallback) {
    String marker = IllegalArgumentException.class.getName() + ": ";
    String message = String.valueOf(e.getMessage());
    int at = message.indexOf(marker);
    if (at < 0) {
      return fallback;
    }
    String rest = message.substring(at + marker.length());
    int end = rest.indexOf('\n');
    return new IllegalArgumentException(end < 0 ? rest : rest.substring(0, end), e);
  }

  @FunctionalInterface
  private interface Step<T> {
    T run() throws IOException, SparkException;
  }

  /** Executor side: decodes each loaded image into a row; skips and records failures. */
  private static final class Decoding implements Iterator<Row> {
    private final Iterator<SourceReader.Loaded> loaded;
    private final CollectionAccumulator<String> bad;
    private final StatsAccumulator stats;
    private final StatsAccumulator shapes;
    private final PixelStats local = new PixelStats();
    private final PixelStats localAll = new PixelStats();
    private Row next;
    private boolean flushed;

    Decoding(Iterator<SourceReader.Loaded> loaded, CollectionAccumulator<String> bad,
        StatsAccumulator stats, StatsAccumulator shapes) {
      this.loaded = loaded;
      this.bad = bad;
      this.stats = stats;
      this.shapes = shapes;
    }

    @Override
    public boolean hasNext() {
      while (next == null && loaded.hasNext()) {
        next = decode(loaded.next());
      }
      if (next == null && !flushed) {
        flushed = true;
        stats.add(local);
        shapes.add(localAll);
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }

    private Row decode(SourceReader.Loaded l) {
      Candidate c = l.candidate();
      if (l.bytes() == null) {
        bad.add(c.source() + ": " + l.error());
        return null;
      }
      Images.Decoded d;
      try {
        d = Images.decode(l.bytes());
      } catch (IllegalArgumentException e) {
        bad.add(c.source() + ": " + e.getMessage());
        return null;
      }
      localAll.add(d);
      if (c.split().equals(Columns.TRAIN)) {
        local.add(d);
      }
      return RowFactory.create(c.id(), c.split(), c.label(), c.className(),
          c.subtype() < 0 ? null : c.subtype(), d.height(), d.width(), d.channels(), l.bytes(),
          c.source());
    }
  }
}
