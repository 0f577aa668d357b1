package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.model.Backbone;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.model.Stem;
import org.ttcspark.model.bigdl.Encoders;
import org.ttcspark.model.bigdl.Layers;
import org.ttcspark.model.bigdl.ModuleFiles;

/**
 * Issue 18: {@code ttc embed} of 1 090 images at 28 px with ResNet-18 (CIFAR stem, width 64)
 * ran out of a 6 GB heap. Here the real launcher embeds such a dataset in a driver of 4 GB
 * ({@code TTC_DRIVER_MEMORY=4g}, {@code local[2]}) and reports the peaks the command prints.
 * Minutes on a loaded 2-core machine, so excluded from {@code mvn test}; run with
 * {@code mvn -o test -Dttc.test.groups=bench -Dttc.test.excludedGroups= -Dtest=EmbedHeapBenchTest}
 * (add {@code -Dttc.bench.engine=mklblas} for the BLAS engine,
 * {@code -Dttc.bench.inference-batch=N} for another forward size); the figures are in
 * {@code target/surefire-reports/<this class>-output.txt}.
 */
@Tag("bench")
class EmbedHeapBenchTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir"));
  private static final Pattern PEAKS = Pattern.compile(
      "peak heap ([0-9.]+) GB of ([0-9.]+) GB, peak resident ([0-9.]+) GB");

  @TempDir
  Path tmp;

  private String ttc(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ROOT.resolve("submit/ttc").toString());
    cmd.addAll(args);
    cmd.add("run.dir=" + tmp.resolve("runs"));
    cmd.add("run.work-dir=" + tmp.resolve("work"));
    cmd.add("spark.master=local[2]");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile());
    pb.environment().put("TTC_DRIVER_MEMORY", "4g");
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.MINUTES), "ttc " + args.get(0) + " did not finish");
    String out = Files.readString(tmp.resolve("log.txt"), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void issue18EmbedOfResNet18Width64At28PxFitsA4GbDriver() throws Exception {
    String engine = System.getProperty("ttc.bench.engine", "mkldnn");
    String batch = System.getProperty("ttc.bench.inference-batch", "32");
    String prepared = tmp.resolve("prepared").toString();
    // 900 train + 100 val + 90 test images
    ttc(List.of("prepare", "dataset.source=synthetic", "dataset.prepared=" + prepared,
        "dataset.synthetic.size=28", "dataset.synthetic.train-per-class=900",
        "dataset.synthetic.val-per-class=50", "dataset.synthetic.test-per-class=45"));
    int channels = 3; // the synthetic source is RGB
    org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(
        tmp.resolve("model.bigdl").toUri());
    ModuleFiles.save(Layers.any(Encoders.contrastive(new ModelConfig(Backbone.RESNET18,
        Stem.CIFAR, 64, 128, true), channels, 28, 1)), model, new Configuration());
    String out = ttc(List.of("embed", "dataset.prepared=" + prepared,
        "embed.checkpoint=" + model, "embed.output=" + tmp.resolve("embeddings"),
        "engine.type=" + engine, "engine.inference-batch=" + batch));
    Matcher m = PEAKS.matcher(out);
    assertTrue(out.contains("wrote 1090 rows") && m.find(), out);
    double heap = Double.parseDouble(m.group(1));
    double max = Double.parseDouble(m.group(2));
    double resident = Double.parseDouble(m.group(3));
    System.out.printf("embed heap bench (%s, %s images per forward): 1090 images, 28 px, "
        + "ResNet-18 cifar w64: peak heap %.2f GB of %.2f GB, peak resident %.2f GB%n", engine,
        batch, heap, max, resident);
    assertTrue(heap < 4.0 && max <= 4.3, "peak heap " + heap + " GB of " + max);
  }
}
