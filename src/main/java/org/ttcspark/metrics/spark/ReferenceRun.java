package org.ttcspark.metrics.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.platform.Json;

/**
 * The authors' metrics.py over the same synthetic embeddings as {@link MetricsBenchmark}, run
 * by {@code reference/time_metrics.py} (shipped in the jar) in a child Python process, so that
 * {@code ttc metrics --bench N --reference CHECKOUT} prints both side by side. The checkout is
 * only read; nothing of it is copied. The embeddings travel as {@code .npy} files in a scratch
 * folder that is deleted afterwards.
 *
 * @param seconds the reference's time from loading the embeddings to its last metric
 * @param processSeconds wall time of the whole Python process (interpreter and imports too)
 * @param peakRssBytes the Python process's peak resident set
 * @param metrics its per-class means, {@code {"saa": [c0, c1], ...}}
 */
public record ReferenceRun(double seconds, double processSeconds, long peakRssBytes,
    JsonNode metrics) {

  private static final String SCRIPT = "reference/time_metrics.py";

  /**
   * Writes the N synthetic rows of seed {@code seed} as {@code .npy} and runs the reference.
   *
   * @param python the interpreter with numpy, scikit-learn and torch (Debian's /usr/bin/python3)
   * @param checkout a checkout of the authors' repository (holds metrics/metrics.py)
   * @param scratch a local folder for the script and the embeddings, deleted afterwards
   * @throws IllegalArgumentException if the checkout lacks metrics/metrics.py or the process
   *     fails (its output is in the message)
   */
  public static ReferenceRun run(String python, Path checkout, Path scratch, int rows, long seed)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(checkout.resolve("metrics").resolve("metrics.py"))) {
      throw new IllegalArgumentException("--reference " + checkout + ": no metrics/metrics.py "
          + "there; give a checkout of the authors' repository "
          + "(git clone https://github.com/aiforvision/TTC)");
    }
    Path dir = Files.createDirectories(scratch).resolve("metrics-reference-"
        + java.util.UUID.randomUUID());
    Files.createDirectories(dir);
    try {
      Path script = dir.resolve("time_metrics.py");
      try (InputStream in = ReferenceRun.class.getClassLoader().getResourceAsStream(SCRIPT)) {
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      Path x = dir.resolve("x.npy");
      Path y = dir.resolve("y.npy");
      writeSynthetic(x, y, rows, seed);
      ProcessBuilder pb = new ProcessBuilder(List.of(python, script.toString(),
          checkout.toAbsolutePath().toString(), x.toString(), y.toString(), "2"))
          .redirectErrorStream(true);
      pb.environment().remove("PYTHONPATH");
      long start = System.nanoTime();
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      double processSeconds = (System.nanoTime() - start) / 1e9;
      String last = out.strip().lines().reduce((a, b) -> b).orElse("");
      if (code != 0 || !last.startsWith("{")) {
        throw new IllegalArgumentException(python + " " + SCRIPT + " failed (exit " + code
            + "); it needs numpy, scikit-learn and torch (Debian: apt-get install python3-numpy "
            + "python3-sklearn python3-torch). Its output:\n" + out.strip());
      }
      JsonNode j = Json.MAPPER.readTree(last);
      return new ReferenceRun(j.path("seconds").asDouble(), processSeconds,
          j.path("peak_rss_bytes").asLong(), j);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The benchmark's rows 0..N-1 as float32 {@code [N, 128]} and int64 labels {@code [N]}. */
  static void writeSynthetic(Path x, Path y, int rows, long seed) throws IOException {
    int samples = rows / 2;
    float[] values = new float[rows * MetricsBenchmark.DIM];
    long[] labels = new long[rows];
    for (int r = 0; r < rows; r++) {
      var row = MetricsBenchmark.synthetic(r, samples, seed);
      System.arraycopy(row.values(), 0, values, r * MetricsBenchmark.DIM, MetricsBenchmark.DIM);
      labels[r] = row.label();
    }
    try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(x), 1 << 16)) {
      Npy.write(o, values, rows, MetricsBenchmark.DIM);
    }
    try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(y), 1 << 16)) {
      Npy.writeLongs(o, labels, rows);
    }
  }
}
