package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.loss.LossMethod;
import org.ttcspark.loss.PrototypeSource;
import org.ttcspark.loss.Prototypes;
import org.ttcspark.loss.SbclTemperatures;
import org.ttcspark.loss.SbclVariant;
import org.ttcspark.loss.bigdl.ContrastiveCriterion;
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.PreparedImages;
import org.ttcspark.train.SbclSchedule;
import org.ttcspark.train.SubclassCentres;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;
import org.ttcspark.train.bigdl.TrainProjections.Projected;

/**
 * The {@link LossSeam} of {@code ttc pretrain}'s contrastive methods (README, "What the loss
 * needs from the data"):
 * <ul>
 *   <li>every method: a new {@link ContrastiveCriterion} per epoch, its random choices seeded by
 *   (run seed, epoch), so that epochs draw differently and a resumed epoch draws as before;</li>
 *   <li>{@code supproto}/{@code tsc} with {@code loss.prototypes = data}: once, at the first
 *   epoch, {@code [p, -p]} with p minus the normalised mean of the train projections under the
 *   initial model ({@link Prototypes#fromProjectionSum}), kept in {@code <run>/prototypes.npy}
 *   and read back on resume;</li>
 *   <li>{@code sbcl}: plain SupCon during {@code loss.sbcl.warm-up-epochs}
 *   ({@link LossConfig#sbclWarmUpLoss}), then at every clustering epoch of
 *   {@link SbclSchedule} the train split's projections under the current model are clustered
 *   per class ({@link SbclClustering}) and the samples get their subclass ids; kept in the run
 *   folder ({@link SubclassFiles}) and read back on resume.</li>
 *   <li>{@code bcl}, {@code paco}: no criterion (null); their loss is the global trainer's
 *   {@link org.ttcspark.train.DriverObjective}.</li>
 * </ul>
 */
public final class ContrastiveLossSeam implements LossSeam {
  /** Data prototypes of a run, {@code [2, D]} float32. */
  public static final String PROTOTYPES = "prototypes.npy";

  private final SparkSession spark;
  private final LossConfig cfg;
  private final long seed;
  private final int projectionDim;
  private final long[] classCounts;
  private final ViewSource evalViews;
  private final int batch;
  private final RunFolder run;
  private final PrintStream console;
  private final SbclSchedule schedule;
  private Prototypes prototypes;
  private int clusteringEpoch = -1;
  private JavaRDD<TrainSample> clustered;
  private SubclassCentres centres;
  private double[] temperatures;

  /**
   * @param cfg the loss section
   * @param seed the run seed
   * @param projectionDim D of the model's output
   * @param classCounts train samples per class (SBCL's subclass counts)
   * @param evalViews the evaluation transform with the manifest's normalisation
   * @param batch samples per forward call when embedding the train split
   * @param run the run folder (prototypes and clusterings are kept there)
   * @param console where the seam reports what it computed
   */
  public ContrastiveLossSeam(SparkSession spark, LossConfig cfg, long seed, int projectionDim,
      long[] classCounts, ViewSource evalViews, int batch, RunFolder run, PrintStream console) {
    this.spark = spark;
    this.cfg = cfg;
    this.seed = seed;
    this.projectionDim = projectionDim;
    this.classCounts = classCounts.clone();
    this.evalViews = evalViews;
    this.batch = batch;
    this.run = run;
    this.console = console;
    this.schedule = cfg.method() == LossMethod.SBCL
        ? new SbclSchedule(cfg.sbclWarmUpEpochs(), cfg.sbclClusterEvery()) : null;
  }

  @Override
  public Epoch begin(int epoch, AbstractModule<Activity, Activity, Object> model,
      JavaRDD<TrainSample> train) throws IOException {
    if (cfg.method().trainsClassifier()) {
      return new Epoch(train, null, null); // the trainer's DriverObjective holds the loss
    }
    if (schedule == null) {
      boolean needsPrototypes = cfg.method() == LossMethod.SUPPROTO
          || cfg.method() == LossMethod.TSC;
      Prototypes p = needsPrototypes ? prototypes(epoch, model, train) : null;
      return new Epoch(train, criterion(cfg.create(p, null), epoch), null);
    }
    if (schedule.inWarmUp(epoch)) {
      return new Epoch(train, criterion(cfg.sbclWarmUpLoss(), epoch), null);
    }
    int c = schedule.clusteringFor(epoch);
    if (c != clusteringEpoch) {
      subclasses(c, epoch, model, train);
    }
    return new Epoch(clustered, criterion(cfg.create(null, temperatures), epoch), centres);
  }

  /** The seed of epoch {@code epoch}'s criterion. */
  static long epochSeed(long runSeed, int epoch) {
    return org.ttcspark.platform.Seeds.derive(runSeed, epoch);
  }

  @SuppressWarnings("unchecked")
  private AbstractCriterion<Activity, Activity, Object> criterion(ContrastiveLoss loss,
      int epoch) {
    return (AbstractCriterion<Activity, Activity, Object>) (Object)
        new ContrastiveCriterion(loss, epochSeed(seed, epoch));
  }

  private Prototypes prototypes(int epoch, AbstractModule<Activity, Activity, Object> model,
      JavaRDD<TrainSample> train) throws IOException {
    if (prototypes != null) {
      return prototypes;
    }
    if (cfg.prototypes() == PrototypeSource.RANDOM) {
      prototypes = Prototypes.random(projectionDim, seed);
      return prototypes;
    }
    Path file = run.file(PROTOTYPES);
    if (epoch > 1) { // a resumed run: its prototypes were computed before its first epoch
      if (!file.getFileSystem(run.hadoop()).exists(file)) {
        throw new IllegalArgumentException("loss.prototypes = data but " + file + " is missing: "
            + "the run was started with other prototypes; resume it with the configuration it "
            + "was started with, or start a new run");
      }
      prototypes = Prototypes.of(Npy.read(file, run.hadoop()).floats(), projectionDim);
      console.printf("data prototypes read from %s%n", file);
      return prototypes;
    }
    JavaRDD<Projected> projected = TrainProjections.of(train, model, evalViews,
        EvalForward.Plan.current());
    try {
      int dim = projectionDim;
      double[] sum = projected.treeAggregate(new double[dim], (acc, p) -> {
        for (int j = 0; j < dim; j++) {
          acc[j] += p.z()[j];
        }
        return acc;
      }, (a, b) -> {
        for (int j = 0; j < dim; j++) {
          a[j] += b[j];
        }
        return a;
      });
      long n = projected.count();
      prototypes = Prototypes.fromProjectionSum(sum, n);
      float[] rows = prototypes.rows();
      HadoopFiles.writeAtomically(file, run.hadoop(), out -> Npy.write(out, rows, 2, dim));
      console.printf("data prototypes from %d train projections written to %s%n", n, file);
      return prototypes;
    } finally {
      projected.unpersist();
    }
  }

  /** Makes the clustering of epoch {@code c} (read back, or computed now) the current one. */
  private void subclasses(int c, int epoch, AbstractModule<Activity, Activity, Object> model,
      JavaRDD<TrainSample> train) throws IOException {
    SubclassFiles.Saved saved = c < epoch ? SubclassFiles.read(spark, run, c) : null;
    JavaRDD<TrainSample> next;
    if (saved != null) {
      next = relabel(train, saved.clusters(), c);
      centres = saved.centres();
      temperatures = saved.classTemperatures();
      console.printf("SBCL: subclasses of epoch %d read from %s%n", c,
          SubclassFiles.folder(run, c));
    } else {
      if (c < epoch) {
        console.printf("SBCL: no saved subclasses of epoch %d; clustering with the model of "
            + "epoch %d%n", c, epoch);
      }
      next = cluster(epoch, model, train);
    }
    if (clustered != null) {
      clustered.unpersist();
    }
    clustered = next;
    clusteringEpoch = c;
  }

  private JavaRDD<TrainSample> cluster(int epoch, AbstractModule<Activity, Activity, Object> model,
      JavaRDD<TrainSample> train) throws IOException {
    int[] counts = SbclTemperatures.subclassCounts(classCounts);
    JavaRDD<Projected> projected = TrainProjections.of(train, model, evalViews,
        EvalForward.Plan.current());
    try {
      SubclassCentres found = SbclClustering.cluster(spark, projected, counts,
          org.ttcspark.platform.Seeds.derive(~seed, epoch));
      double[] derived = cfg.sbclVariant() == SbclVariant.RANK
          && cfg.fixedClassTemperatures() == null
          ? SbclClustering.classTemperatures(projected, counts, cfg.sbclTemperature()) : null;
      JavaRDD<TrainSample> next = projected.map(p -> p.sample().withCluster(
          found.assign(p.sample().label(), p.z()))).persist(PreparedImages.CACHED);
      next.count();
      centres = found;
      temperatures = derived;
      SubclassFiles.write(spark, run, epoch, next, found, derived);
      console.printf("SBCL epoch %d: %s subclasses per class, class temperatures %s%n", epoch,
          Arrays.toString(java.util.stream.IntStream.range(0, found.classes())
              .map(found::count).toArray()),
          derived == null ? "as configured" : Arrays.toString(derived));
      return next;
    } finally {
      projected.unpersist();
    }
  }

  private JavaRDD<TrainSample> relabel(JavaRDD<TrainSample> train, Map<String, Integer> clusters,
      int epoch) {
    Broadcast<Map<String, Integer>> shared =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(clusters);
    String where = SubclassFiles.folder(run, epoch).toString();
    JavaRDD<TrainSample> next = train.map(s -> {
      Integer id = shared.value().get(s.id());
      if (id == null) {
        throw new IllegalStateException("the SBCL subclasses in " + where + " have no cluster "
            + "for train sample " + s.id() + ": the dataset changed since the run started; "
            + "start a new run");
      }
      return s.withCluster(id);
    }).persist(PreparedImages.CACHED);
    next.count();
    shared.unpersist(false); // valid: later jobs serialise the lineage of the cached result
    return next;
  }
}
