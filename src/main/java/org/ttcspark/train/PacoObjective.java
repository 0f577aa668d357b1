package org.ttcspark.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ttcspark.loss.Collapse;
import org.ttcspark.loss.PacoConfig;
import org.ttcspark.loss.PacoLoss;

/**
 * PaCo's training objective (Cui et al., ICCV 2021, {@code PaCo/LT/moco/builder.py} and
 * {@code losses.py}): two views per sample; view 0 is the query, encoded by the trained model;
 * view 1 is the key, encoded by the slices' momentum copy of it (its rows receive no gradient).
 * A linear classifier on the query's backbone feature gives the parametric class centres
 * (logits {@code W h + b}); {@link PacoLoss} contrasts every query with the C class columns,
 * the batch's queries and keys and the queue of keys of earlier iterations.
 *
 * <p>The classifier and the queue live here, on the driver: the queue must hold keys of the
 * whole global batch in one order, and the driver already holds every key of the iteration, so
 * it costs nothing to keep there ({@code K x D} floats; the authors' 1024 x 128 is 512 KiB);
 * sharding it over the slices would need a gather of it every iteration anyway, since every
 * query is contrasted with all of it. After the loss the batch's keys replace the oldest ones
 * (ring buffer; until it is full only the keys seen so far take part), unless the iteration's
 * update is skipped ({@link #finishStep}). The classifier takes an
 * SGD step with the encoder's learning rate; initialisation as PyTorch's Linear, seeded.
 */
public final class PacoObjective implements DriverObjective {
  private final PacoLoss loss;
  private final int classes;
  private final int projDim;
  private final int featDim;
  private final double[] w;
  private final double[] bias;
  private final float[] queue;
  private final int[] queueLabels;
  private final int capacity;
  private int filled;
  private int next;
  private final DriverSgd sgd;
  private final double keyMomentum;
  private final PendingUpdate pending = new PendingUpdate();

  /**
   * @param cfg PaCo's section
   * @param trainCounts the train split's class counts (used unless configured)
   * @param projDim D of the projections
   * @param featDim f of the backbone feature
   * @param momentum SGD momentum of the classifier
   * @param weightDecay SGD weight decay of the classifier
   * @param seed initialisation seed
   */
  public PacoObjective(PacoConfig cfg, long[] trainCounts, int projDim, int featDim,
      double momentum, double weightDecay, long seed) {
    this.loss = cfg.loss(trainCounts);
    this.classes = loss.classes();
    this.projDim = projDim;
    this.featDim = featDim;
    SplittableRandom rng = new SplittableRandom(seed);
    double bound = 1 / Math.sqrt(featDim);
    this.w = new double[classes * featDim];
    this.bias = new double[classes];
    for (int i = 0; i < w.length; i++) {
      w[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
    for (int i = 0; i < classes; i++) {
      bias[i] = (rng.nextDouble() * 2 - 1) * bound;
    }
    this.capacity = cfg.queueSize();
    this.queue = new float[capacity * projDim];
    this.queueLabels = new int[capacity];
    this.sgd = new DriverSgd(momentum, weightDecay);
    this.keyMomentum = cfg.momentum();
  }

  @Override
  public int views() {
    return 2;
  }

  @Override
  public double keyMomentum() {
    return keyMomentum;
  }

  /** Keys in the queue now. */
  public int queued() {
    return filled;
  }

  @Override
  public SliceLoss.Result step(List<SliceLoss.Slice> slices, double learningRate) {
    pending.checkNone();
    GlobalBatch batch = GlobalBatch.of(slices, 2, projDim + featDim);
    int b = batch.batch();
    int[] y = batch.labels();
    float[] q = batch.columns(0, 0, projDim);
    float[] k = batch.columns(1, 0, projDim);
    float[] h = batch.columns(0, projDim, featDim);
    float[] logits = new float[b * classes];
    for (int i = 0; i < b; i++) {
      for (int c = 0; c < classes; c++) {
        double s = bias[c];
        for (int j = 0; j < featDim; j++) {
          s += w[c * featDim + j] * h[i * featDim + j];
        }
        logits[i * classes + c] = (float) s;
      }
    }
    int rows = 2 * b + filled;
    float[] features = new float[rows * projDim];
    int[] labels = new int[rows];
    System.arraycopy(q, 0, features, 0, b * projDim);
    System.arraycopy(k, 0, features, b * projDim, b * projDim);
    System.arraycopy(queue, 0, features, 2 * b * projDim, filled * projDim);
    System.arraycopy(y, 0, labels, 0, b);
    System.arraycopy(y, 0, labels, b, b);
    System.arraycopy(queueLabels, 0, labels, 2 * b, filled);
    PacoLoss.Result r = loss.compute(features, rows, projDim, b, labels, logits);

    float[] grad = new float[batch.rows().length];
    float[] dq = new float[b * projDim];
    System.arraycopy(r.gradFeatures(), 0, dq, 0, b * projDim);
    batch.addColumns(grad, 0, 0, projDim, dq, 1);
    float[] dh = new float[b * featDim];
    double[] gw = new double[w.length];
    double[] gb = new double[classes];
    for (int i = 0; i < b; i++) {
      for (int c = 0; c < classes; c++) {
        double g = r.gradLogits()[i * classes + c];
        gb[c] += g;
        for (int j = 0; j < featDim; j++) {
          dh[i * featDim + j] += (float) (g * w[c * featDim + j]);
          gw[c * featDim + j] += g * h[i * featDim + j];
        }
      }
    }
    batch.addColumns(grad, 0, projDim, featDim, dh, 1);
    pending.hold(() -> {
      enqueue(k, y, b);
      sgd.step(List.of(w, bias), List.of(gw, gb), learningRate);
    });
    BatchStats stats = BatchStats.of(Collapse.meanCosine(q, b, projDim), Double.NaN);
    return new SliceLoss.Result(r.loss(), batch.scatter(grad, slices), stats);
  }

  @Override
  public void finishStep(boolean apply) {
    pending.finish(apply);
  }

  private void enqueue(float[] keys, int[] labels, int b) {
    for (int i = 0; i < b && capacity > 0; i++) {
      System.arraycopy(keys, i * projDim, queue, next * projDim, projDim);
      queueLabels[next] = labels[i];
      next = (next + 1) % capacity;
      filled = Math.min(filled + 1, capacity);
    }
  }

  @Override
  public Map<String, double[]> state() {
    pending.checkNone();
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put("w", w.clone());
    state.put("bias", bias.clone());
    double[] keys = new double[queue.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = queue[i];
    }
    double[] labels = new double[queueLabels.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = queueLabels[i];
    }
    state.put("queue", keys);
    state.put("queue_labels", labels);
    state.put("queue_position", new double[] {filled, next});
    sgd.saveTo(state, "sgd.v");
    return state;
  }

  @Override
  public void restore(Map<String, double[]> state) {
    DriverObjective.restoreInto(state, "w", w);
    DriverObjective.restoreInto(state, "bias", bias);
    double[] keys = DriverObjective.entry(state, "queue", queue.length);
    for (int i = 0; i < keys.length; i++) {
      queue[i] = (float) keys[i];
    }
    double[] labels = DriverObjective.entry(state, "queue_labels", queueLabels.length);
    for (int i = 0; i < labels.length; i++) {
      queueLabels[i] = (int) labels[i];
    }
    double[] position = DriverObjective.entry(state, "queue_position", 2);
    filled = (int) position[0];
    next = (int) position[1];
    sgd.restoreFrom(state, "sgd.v", w.length, bias.length);
  }
}
