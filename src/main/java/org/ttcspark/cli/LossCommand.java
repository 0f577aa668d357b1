package org.ttcspark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.data.npy.NpyArray;
import org.ttcspark.loss.ContrastiveBatch;
import org.ttcspark.loss.ContrastiveLoss;
import org.ttcspark.loss.LossBenchmark;
import org.ttcspark.loss.LossConfig;
import org.ttcspark.loss.LossMethod;
import org.ttcspark.loss.LossResult;
import org.ttcspark.loss.PacoLoss;
import org.ttcspark.loss.PrototypeSource;
import org.ttcspark.loss.Prototypes;
import org.ttcspark.loss.SbclTemperatures;
import org.ttcspark.loss.SbclVariant;
import org.ttcspark.loss.Views;
import org.ttcspark.loss.impl.Blas;
import org.ttcspark.platform.HadoopFiles;
import org.ttcspark.platform.Json;

/**
 * {@code ttc loss}: one loss value and its gradient for {@code .npy} inputs, to cross-check the
 * numerics against other implementations (README, "ttc metrics"); {@code --bench} times every loss. Never
 * starts Spark.
 */
final class LossCommand implements Command {
  private static final int BENCH_BATCH = 256;
  private static final int BENCH_DIM = 128;

  @Override
  public String name() {
    return "loss";
  }

  @Override
  public String summary() {
    return "compute a loss and its gradient for .npy inputs (--bench: time every loss)";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("method", "M",
            "simclr, supcon, supmin, supproto, sbcl, kcl, tsc, bcl or paco"),
        Flag.value("features", "F.npy",
            "features [B, V, D], float32 or float64, rows L2-normalised (paco: [2B+K, D], "
                + "queries, keys, queue)"),
        Flag.value("labels", "L.npy",
            "labels [B], integers 0/1 (all methods but simclr; paco: [2B+K])"),
        Flag.value("logits", "S.npy", "paco: the classifier's logits of the queries [B, 2]"),
        Flag.value("clusters", "C.npy", "subclass ids [B], integers (sbcl)"),
        Flag.value("prototypes", "P.npy", "prototypes [2, D] (supproto, tsc; default: "
            + "loss.prototypes); bcl: its class centres, required"),
        Flag.value("out", "DIR", "writes DIR/loss.json and DIR/grad.npy (paco: also "
            + "DIR/grad_logits.npy)"),
        Flag.toggle("bench", "time forward+backward of every loss at B=256, D=128 instead"));
  }

  @Override
  public List<String> configSections() {
    return List.of("loss", "run");
  }

  @Override
  public int run(Invocation inv) throws IOException {
    if (inv.has("bench")) {
      return bench(inv);
    }
    String method = inv.requiredFlag("method").toLowerCase(Locale.ROOT);
    Config config = inv.config().withValue("loss.method",
        ConfigValueFactory.fromAnyRef(method, "--method " + method));
    LossConfig loss = LossConfig.from(config);
    LossMethod m = loss.method();
    Configuration hadoop = new Configuration();
    NpyArray features = Npy.read(new Path(inv.requiredFlag("features")), hadoop);
    if (m == LossMethod.PACO) {
      return paco(inv, loss, features, hadoop);
    }
    if (features.rank() != 3
        || features.dtype() != NpyArray.DType.FLOAT32
        && features.dtype() != NpyArray.DType.FLOAT64) {
      throw new IllegalArgumentException(features.name() + " holds " + features.dtype().descr()
          + " " + Arrays.toString(features.shape()) + "; --features must be float32 or float64 "
          + "[batch, views, dim]");
    }
    int[] shape = features.shape();
    int b = shape[0];
    int v = shape[1];
    int d = shape[2];
    float[] z = Views.toViewMajor(features.floats(), b, v, d);
    int[] labels = m.usesLabels() ? ints(inv, "labels", b, hadoop) : null;
    int[] clusters = m.usesClusters() ? ints(inv, "clusters", b, hadoop) : null;
    ContrastiveBatch batch = ContrastiveBatch.of(z, b, v, d, labels, clusters);
    ContrastiveLoss l = loss.create(prototypes(inv, loss, batch, hadoop),
        classTemperatures(loss, batch));
    LossResult r = l.compute(batch, inv.run().seed());
    float[] grad = Views.toSampleMajor(r.grad(), b, v, d);
    Path out = new Path(inv.requiredFlag("out"));
    write(out, r.loss(), hadoop);
    writeGrad(new Path(out, "grad.npy"), grad, shape, features.dtype(), hadoop);
    inv.out().printf("%s loss %.10g; wrote %s and %s%n", m.name().toLowerCase(Locale.ROOT),
        r.loss(), new Path(out, "loss.json"), new Path(out, "grad.npy"));
    return Main.OK;
  }

  /**
   * PaCo on the authors' tensors: features {@code [2B+K, D]} (queries, keys, queue; K =
   * {@code loss.paco.queue-size}), labels {@code [2B+K]}, logits {@code [B, 2]}; writes the
   * features' gradient to grad.npy and the logits' to grad_logits.npy.
   */
  private static int paco(Invocation inv, LossConfig loss, NpyArray features,
      Configuration hadoop) throws IOException {
    int k = loss.paco().queueSize();
    if (features.rank() != 2 || features.rows() <= k || (features.rows() - k) % 2 != 0
        || features.dtype() != NpyArray.DType.FLOAT32
        && features.dtype() != NpyArray.DType.FLOAT64) {
      throw new IllegalArgumentException(features.name() + " holds " + features.dtype().descr()
          + " " + Arrays.toString(features.shape()) + "; paco's --features must be float32 or "
          + "float64 [2B + K, D]: B queries, their B keys, then K = loss.paco.queue-size (" + k
          + ") queue rows");
    }
    int n = features.rows();
    int d = features.shape()[1];
    int b = (n - k) / 2;
    int[] labels = ints(inv, "labels", n, hadoop);
    String file = inv.flag("logits").orElseThrow(() -> new UsageException(
        "ttc loss --method paco needs --logits (the classifier's logits of the " + b
            + " queries, [" + b + ", 2])"));
    NpyArray logits = Npy.read(new Path(file), hadoop);
    if (logits.rank() != 2 || logits.rows() != b || logits.shape()[1] != 2) {
      throw new IllegalArgumentException(file + " has shape "
          + Arrays.toString(logits.shape()) + "; --logits must be [" + b + ", 2], one row per "
          + "query");
    }
    PacoLoss.Result r = loss.paco().loss(null).compute(features.floats(), n, d, b, labels,
        logits.floats());
    Path out = new Path(inv.requiredFlag("out"));
    write(out, r.loss(), hadoop);
    writeGrad(new Path(out, "grad_logits.npy"), r.gradLogits(), new int[] {b, 2},
        features.dtype(), hadoop);
    writeGrad(new Path(out, "grad.npy"), r.gradFeatures(), features.shape(), features.dtype(),
        hadoop);
    inv.out().printf("paco loss %.10g; wrote %s, %s and %s%n", r.loss(),
        new Path(out, "loss.json"), new Path(out, "grad.npy"), new Path(out, "grad_logits.npy"));
    return Main.OK;
  }

  private static void write(Path out, double loss, Configuration hadoop) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("loss", loss);
    HadoopFiles.writeString(new Path(out, "loss.json"), hadoop, Json.write(json));
  }

  /** A gradient in the dtype of the input it belongs to. */
  private static void writeGrad(Path file, float[] grad, int[] shape, NpyArray.DType dtype,
      Configuration hadoop) throws IOException {
    HadoopFiles.writeAtomically(file, hadoop, o -> {
      if (dtype == NpyArray.DType.FLOAT32) {
        Npy.write(o, grad, shape);
      } else {
        double[] g = new double[grad.length];
        for (int i = 0; i < g.length; i++) {
          g[i] = grad[i];
        }
        Npy.writeDoubles(o, g, shape);
      }
    });
  }

  private static int[] ints(Invocation inv, String flag, int batch, Configuration hadoop)
      throws IOException {
    String file = inv.flag(flag).orElseThrow(() -> new UsageException("ttc loss --method "
        + inv.flag("method").orElse("") + " needs --" + flag + " (" + batch + " integers)"));
    NpyArray a = Npy.read(new Path(file), hadoop);
    if (a.rank() != 1 || a.rows() != batch) {
      throw new IllegalArgumentException(file + " has shape " + Arrays.toString(a.shape())
          + "; --" + flag + " must be [" + batch + "], one value per sample of the features");
    }
    long[] values = a.longs();
    int[] out = new int[batch];
    for (int i = 0; i < batch; i++) {
      out[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, values[i]));
    }
    return out;
  }

  private static Prototypes prototypes(Invocation inv, LossConfig loss, ContrastiveBatch batch,
      Configuration hadoop) throws IOException {
    if (!loss.method().usesPrototypes()) {
      return null;
    }
    if (inv.has("prototypes")) {
      NpyArray p = Npy.read(new Path(inv.requiredFlag("prototypes")), hadoop);
      if (p.rank() != 2) {
        throw new IllegalArgumentException(p.name() + " has shape " + Arrays.toString(p.shape())
            + "; --prototypes must be [2, " + batch.dim() + "]");
      }
      return Prototypes.of(p.floats(), batch.dim());
    }
    if (loss.method() == LossMethod.BCL) {
      throw new UsageException("ttc loss --method bcl needs --prototypes: its class centres "
          + "[2, " + batch.dim() + "] exactly as the loss receives them (normalised)");
    }
    return loss.prototypes() == PrototypeSource.DATA
        ? Prototypes.fromData(batch.z(), batch.rows(), batch.dim())
        : Prototypes.random(batch.dim(), inv.run().seed());
  }

  /** SBCL rank without configured temperatures: derived from these features and clusters. */
  private static double[] classTemperatures(LossConfig loss, ContrastiveBatch batch) {
    if (loss.method() != LossMethod.SBCL || loss.sbclVariant() != SbclVariant.RANK
        || loss.fixedClassTemperatures() != null) {
      return null;
    }
    int[] rowLabels = new int[batch.rows()];
    for (int r = 0; r < rowLabels.length; r++) {
      rowLabels[r] = batch.labels()[r % batch.batch()];
    }
    int[] subclasses = new int[2];
    for (int c = 0; c < 2; c++) {
      final int cls = c;
      subclasses[c] = (int) java.util.stream.IntStream.range(0, batch.batch())
          .filter(i -> batch.labels()[i] == cls).map(i -> batch.clusters()[i]).distinct().count();
    }
    return SbclTemperatures.classTemperatures(batch.z(), batch.rows(), batch.dim(), rowLabels,
        subclasses, loss.sbclTemperature());
  }

  private static int bench(Invocation inv) {
    LossConfig loss = LossConfig.from(inv.config());
    Blas.useOneThread();
    inv.out().printf("loss forward+backward, B=%d (2B=%d rows), D=%d, one MKL thread, %s%n",
        BENCH_BATCH, 2 * BENCH_BATCH, BENCH_DIM, Blas.mkl() ? "MKL" : "Java loops (no MKL)");
    inv.out().printf("%-14s %10s %10s %10s%n", "method", "median ms", "p90 ms", "min ms");
    for (LossBenchmark.Timing t : LossBenchmark.run(loss, BENCH_BATCH, BENCH_DIM, 200, 500,
        inv.run().seed())) {
      inv.out().printf("%-14s %10.3f %10.3f %10.3f%n", t.name(), t.medianMillis(),
          t.p90Millis(), t.minMillis());
    }
    return Main.OK;
  }
}
