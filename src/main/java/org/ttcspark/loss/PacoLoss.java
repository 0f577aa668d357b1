package org.ttcspark.loss;

import java.io.Serializable;

/**
 * PaCo's parametric contrastive loss (Cui et al., "Parametric Contrastive Learning", ICCV 2021,
 * {@code PaCo/LT/losses.py}). The contrast set is the authors' {@code features} tensor: the B
 * queries, their B momentum keys and the K keys of the queue ({@code N = 2B + K} rows); only
 * the queries are anchors. Next to the N feature columns each anchor has C parametric columns,
 * the logits of a linear classifier (the learnable class centres) shifted by the log class prior:
 *
 * <pre>
 *   u_ic = (s_ic + log(pi_c + 1e-9)) / supt          (class columns; pi: train class shares)
 *   l_ij = q_i . f_j / T                            (feature columns)
 *   M_i  = max over all columns, the anchor's own column j = i included
 *   Z_i  = sum_c exp(u_ic - M_i) + gamma sum_{j != i} exp(l_ij - M_i) + 1e-12
 *   pos  : beta on c = y_i, alpha on every j != i with y_j = y_i;  W_i their total weight
 *   ell_i = -(T / T_b) (1/W_i) sum_pos weight (logit - M_i - log Z_i)
 *   loss  = mean over the B anchors
 * </pre>
 *
 * The 1e-12 and the row maximum are the reference's (the maximum is a constant for the
 * gradient); they matter only when every column is far below the self-similarity. Derivative:
 * {@code dloss/dlogit = (T/T_b)/B * (e/Z - w/W)}, with e the column's weighted exponential and
 * w its positive weight; class columns pass it on divided by {@code supt}, feature columns
 * bilinearly to the anchor and to the column's row. Everything is float64.
 */
public final class PacoLoss implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Added to the class shares before the log, as the reference does. */
  private static final double PRIOR_EPS = 1e-9;
  /** Added to the denominator, as the reference does. */
  private static final double DEN_EPS = 1e-12;

  private final double alpha;
  private final double beta;
  private final double gamma;
  private final double supt;
  private final double temperature;
  private final double baseTemperature;
  private final double[] logPrior;

  /**
   * @param alpha weight of the sample positives, at least 0 (the authors: 0.01 on CIFAR)
   * @param beta weight of the class positive, at least 0 (1.0)
   * @param gamma weight of the sample columns in the denominator, greater than 0 (1.0)
   * @param supt temperature of the class columns, greater than 0 (1.0)
   * @param temperature T of the feature columns, greater than 0 (0.05 on CIFAR)
   * @param baseTemperature T_b, the loss is scaled by T / T_b (the authors: T_b = T)
   * @param classCounts training samples per class, the logit adjustment's prior
   */
  public PacoLoss(double alpha, double beta, double gamma, double supt, double temperature,
      double baseTemperature, long[] classCounts) {
    this.alpha = ContrastiveLoss.within("paco alpha", alpha, 0, Double.MAX_VALUE);
    this.beta = ContrastiveLoss.within("paco beta", beta, 0, Double.MAX_VALUE);
    if (alpha + beta <= 0) {
      throw new IllegalArgumentException("paco alpha and beta are both 0; an anchor would "
          + "have no positive weight: make one of them greater than 0");
    }
    this.gamma = ContrastiveLoss.positive("paco gamma", gamma);
    this.supt = ContrastiveLoss.positive("paco supt", supt);
    this.temperature = ContrastiveLoss.positive("temperature", temperature);
    this.baseTemperature = ContrastiveLoss.positive("base-temperature", baseTemperature);
    double[] prior = LogitAdjust.classShares(classCounts);
    this.logPrior = new double[prior.length];
    for (int c = 0; c < prior.length; c++) {
      logPrior[c] = Math.log(prior[c] + PRIOR_EPS);
    }
  }

  /** The number of classes (of the prior). */
  public int classes() {
    return logPrior.length;
  }

  /**
   * Loss value and gradients.
   *
   * @param loss the loss
   * @param gradFeatures {@code dloss/dfeatures}, {@code [N, D]}; the key and queue rows get
   *     theirs too (training discards them: keys come from the momentum encoder)
   * @param gradLogits {@code dloss/dlogits}, {@code [B, C]}
   */
  public record Result(double loss, float[] gradFeatures, float[] gradLogits) {}

  /**
   * The loss of one step.
   *
   * @param features {@code [N, D]} row-major: B queries, B keys, then the queue; finite
   * @param rows N
   * @param dim D
   * @param batch B, at least 1, with {@code 2B <= N}
   * @param labels {@code [N]} class of every row, in {@code [0, C)}
   * @param logits {@code [B, C]} the classifier's raw logits of the queries
   * @throws IllegalArgumentException on inconsistent shapes or labels
   */
  public Result compute(float[] features, int rows, int dim, int batch, int[] labels,
      float[] logits) {
    int classes = logPrior.length;
    check(features, rows, dim, batch, labels, logits, classes);
    double coef = temperature / baseTemperature / batch;
    double[] u = new double[classes];
    double[] l = new double[rows];
    double[] gf = new double[rows * dim];
    float[] gs = new float[batch * classes];
    double loss = 0;
    for (int i = 0; i < batch; i++) {
      int y = labels[i];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        u[c] = (logits[i * classes + c] + logPrior[c]) / supt;
        max = Math.max(max, u[c]);
      }
      for (int j = 0; j < rows; j++) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
          s += (double) features[i * dim + k] * features[j * dim + k];
        }
        l[j] = s / temperature;
        max = Math.max(max, l[j]);
      }
      double z = DEN_EPS;
      for (int c = 0; c < classes; c++) {
        z += Math.exp(u[c] - max);
      }
      double w = beta;
      for (int j = 0; j < rows; j++) {
        if (j != i) {
          z += gamma * Math.exp(l[j] - max);
          if (labels[j] == y) {
            w += alpha;
          }
        }
      }
      double logZ = Math.log(z);
      double pos = beta * (u[y] - max - logZ);
      for (int j = 0; j < rows; j++) {
        if (j != i && labels[j] == y) {
          pos += alpha * (l[j] - max - logZ);
        }
      }
      loss -= temperature / baseTemperature * pos / w;
      for (int c = 0; c < classes; c++) {
        double g = coef * (Math.exp(u[c] - max) / z - (c == y ? beta / w : 0));
        gs[i * classes + c] = (float) (g / supt);
      }
      for (int j = 0; j < rows; j++) {
        if (j == i) {
          continue;
        }
        double g = coef * (gamma * Math.exp(l[j] - max) / z - (labels[j] == y ? alpha / w : 0))
            / temperature;
        for (int k = 0; k < dim; k++) {
          gf[i * dim + k] += g * features[j * dim + k];
          gf[j * dim + k] += g * features[i * dim + k];
        }
      }
    }
    return new Result(loss / batch, BclLoss.toFloats(gf), gs);
  }

  private static void check(float[] features, int rows, int dim, int batch, int[] labels,
      float[] logits, int classes) {
    if (batch < 1 || dim < 1 || 2L * batch > rows) {
      throw new IllegalArgumentException("paco needs B >= 1 queries and their keys among the "
          + rows + " feature rows (2B <= N), got B = " + batch + ", D = " + dim);
    }
    if (features.length != (long) rows * dim) {
      throw new IllegalArgumentException("paco features hold " + features.length
          + " values but " + rows + " rows x " + dim + " dims were expected");
    }
    if (labels.length != rows) {
      throw new IllegalArgumentException("paco labels hold " + labels.length + " values but "
          + "the features have " + rows + " rows (queries, keys, queue)");
    }
    for (int j = 0; j < rows; j++) {
      if (labels[j] < 0 || labels[j] >= classes) {
        throw new IllegalArgumentException("paco label of row " + j + " is " + labels[j]
            + "; it must be in [0, " + classes + ")");
      }
    }
    if (logits.length != (long) batch * classes) {
      throw new IllegalArgumentException("paco logits hold " + logits.length + " values but "
          + batch + " queries x " + classes + " classes were expected");
    }
  }
}
