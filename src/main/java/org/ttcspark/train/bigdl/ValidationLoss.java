package org.ttcspark.train.bigdl;

import com.intel.analytics.bigdl.nn.abstractnn.AbstractCriterion;
import com.intel.analytics.bigdl.nn.abstractnn.AbstractModule;
import com.intel.analytics.bigdl.nn.abstractnn.Activity;
import com.intel.analytics.bigdl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ttcspark.model.bigdl.EvalForward;
import org.ttcspark.model.bigdl.SharedEvalModel;
import org.ttcspark.platform.Bigdl;
import org.ttcspark.train.LossSeam;
import org.ttcspark.train.SubclassCentres;
import org.ttcspark.train.TrainSample;
import org.ttcspark.train.ViewSource;
import scala.Tuple2;

/**
 * The loss of the validation split under the model as trained so far (README, "Validation
 * loss"): the val samples are cut into batches of {@code batch} samples per partition, their
 * views are drawn with the training augmentation as in epoch 0 (the same views every epoch, so
 * the values of two epochs compare), the model forwards them in evaluation mode (BatchNorm uses
 * its running statistics) and the epoch's criterion scores each batch. The result is the mean
 * over batches weighted by their sample counts; a last batch of one sample is left out (a
 * contrastive loss needs two). With SBCL, each val sample gets the subclass of its class whose
 * centre is closest to its evaluation-view projection ({@link SubclassCentres#assign}).
 */
public final class ValidationLoss {
  private ValidationLoss() {}

  /**
   * A validation loss.
   *
   * @param loss mean loss per sample, NaN when no batch had two samples
   * @param samples the samples it averages over
   */
  public record Result(double loss, long samples) {}

  /**
   * The loss of the val split.
   *
   * @param val the val split, cluster ids -1
   * @param model the plain model with the current weights (not modified)
   * @param epoch the epoch's criterion and subclasses, from the {@link LossSeam}
   * @param views the training views (augmentation and normalisation)
   * @param evalViews the evaluation views (for subclass assignment)
   * @param batch samples per loss call
   * @param viewsPerSample 2 (contrastive) or 1 (cross-entropy)
   * @param seed the run seed
   */
  public static Result of(JavaRDD<TrainSample> val,
      AbstractModule<Activity, Activity, Object> model, LossSeam.Epoch epoch, ViewSource views,
      ViewSource evalViews, int batch, int viewsPerSample, long seed) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(val.context());
    SharedEvalModel sharedModel = SharedEvalModel.of(val.context(), model,
        EvalForward.Plan.current());
    Broadcast<AbstractCriterion<Activity, Activity, Object>> sharedCriterion =
        sc.broadcast(epoch.criterion());
    SubclassCentres subclasses = epoch.subclasses();
    ViewBatcher batcher = new ViewBatcher(batch, views, seed, 0, viewsPerSample);
    Tuple2<Double, Long> sum;
    try {
      sum = val.mapPartitions(it -> {
        AbstractCriterion<Activity, Activity, Object> criterion =
            sharedCriterion.value().cloneCriterion();
        double total = 0;
        long samples = 0;
        try (EvalForward local = sharedModel.open()) {
          List<TrainSample> chunk = new ArrayList<>(batch);
          while (it.hasNext()) {
            chunk.add(it.next());
            if (chunk.size() == batch || !it.hasNext()) {
              if (chunk.size() >= 2) {
                List<TrainSample> labelled = subclasses == null ? chunk
                    : withSubclasses(local, chunk, evalViews, subclasses);
                ViewBatch b = batcher.batch(labelled);
                Tensor<Object> out = output(local, b.getInput().toTensor(Bigdl.NUMERIC));
                total += ((Number) criterion.forward(out, b.getTarget())).doubleValue()
                    * chunk.size();
                samples += chunk.size();
              }
              chunk.clear();
            }
          }
        }
        return List.of(new Tuple2<>(total, samples)).iterator();
      }).reduce((a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()));
    } finally {
      sharedModel.close(false);
      sharedCriterion.destroy();
    }
    return new Result(sum._2() == 0 ? Double.NaN : sum._1() / sum._2(), sum._2());
  }

  /** The evaluation-mode output {@code [rows, D]} of a batch's input {@code [rows, C, H, W]}. */
  private static Tensor<Object> output(EvalForward model, Tensor<Object> input) {
    int[] size = input.size();
    int rows = size[0];
    float[] y = model.forward(Bigdl.toArray(input), rows,
        java.util.Arrays.copyOfRange(size, 1, size.length));
    return Bigdl.tensor(y, rows, y.length / rows);
  }

  private static List<TrainSample> withSubclasses(EvalForward model, List<TrainSample> chunk,
      ViewSource evalViews, SubclassCentres subclasses) {
    float[][] z = TrainProjections.project(model, chunk, evalViews);
    List<TrainSample> out = new ArrayList<>(chunk.size());
    for (int i = 0; i < chunk.size(); i++) {
      TrainSample s = chunk.get(i);
      out.add(s.withCluster(subclasses.assign(s.label(), z[i])));
    }
    return out;
  }
}
