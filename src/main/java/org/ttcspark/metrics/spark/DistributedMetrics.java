package org.ttcspark.metrics.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttcspark.metrics.EmbeddingBlock;
import org.ttcspark.metrics.NeighbourScan;
import org.ttcspark.metrics.RepresentationAccumulator;
import org.ttcspark.metrics.RepresentationMetrics;
import org.ttcspark.metrics.StackLayout;
import org.ttcspark.metrics.StackedRow;
import scala.Tuple2;

/**
 * The representation metrics over a stack of embeddings too large for one machine: rows are
 * cut into blocks of {@code blockSize} consecutive rows, checked and written once to a scratch
 * folder (one Spark job, which also rejects bad rows naming them), and one task per row block
 * streams every column block past its {@link NeighbourScan} (float64 GEMM strips). A task holds
 * two blocks, a strip buffer and the candidate buffers of its rows, about {@code blockSize *
 * (2 * dim + 64 + 2 * k) * 8} bytes; the driver receives one small
 * {@link RepresentationAccumulator} per block.
 *
 * <p>Results do not depend on partitioning: blocks are cut by row index, each block pair is
 * computed by the same GEMM calls of the same shapes whichever task runs it, each task scans
 * the column blocks in index order, and the driver merges block results in index order, so
 * even the floating-point sums are the same bit for bit for any number of partitions (on
 * machines whose MKL picks the same kernels).
 */
public final class DistributedMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(DistributedMetrics.class);

  private DistributedMetrics() {}

  /**
   * Computes the metrics of {@code rows}, which must hold each row index 0..N-1 once.
   *
   * @param blockSize rows per block
   * @param partitions tasks of the scan stage; 0 = Spark's default parallelism
   * @param scratch a Hadoop folder for the block files, deleted afterwards
   * @param source names the input in error messages
   * @throws IllegalArgumentException for a bad row (checked before the scan), naming it
   */
  public static RepresentationMetrics compute(JavaRDD<StackedRow> rows, StackLayout layout,
      int blockSize, int partitions, String scratch, String source) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.context());
    int tasks = partitions > 0 ? partitions : jsc.defaultParallelism();
    int blocks = (layout.rows() + blockSize - 1) / blockSize;
    Path folder = new Path(scratch, "metrics-blocks-" + UUID.randomUUID());
    BlockFiles files = new BlockFiles(
        folder.getFileSystem(jsc.hadoopConfiguration()).makeQualified(folder).toString(),
        jsc.hadoopConfiguration());
    try {
      // one pass writes the blocks and checks the rows: a bad row fails its block's task
      List<int[]> written = unwrapped(() -> rows
          .mapToPair(r -> new Tuple2<>(r.row() / blockSize, r))
          .groupByKey(new HashPartitioner(Math.max(1, Math.min(tasks, blocks))))
          .map(group -> {
            EmbeddingBlock b = assemble(group._2(), source);
            files.write(group._1(), b);
            return new int[] {group._1(), b.count(), b.dim(), b.start()};
          })
          .collect());
      check(written, blocks, layout, source);
      List<Tuple2<Integer, RepresentationAccumulator>> parts = jsc
          .parallelize(IntStream.range(0, blocks).boxed().toList(), Math.min(tasks, blocks))
          .map(i -> new Tuple2<>(i, scanBlock(files, i, blocks, layout)))
          .collect();
      List<Tuple2<Integer, RepresentationAccumulator>> ordered = new ArrayList<>(parts);
      ordered.sort(Comparator.comparing(Tuple2::_1));
      RepresentationAccumulator total = new RepresentationAccumulator(layout);
      ordered.forEach(p -> total.merge(p._2()));
      LOG.info("metrics over {} rows in {} blocks of {} with {} tasks", layout.rows(), blocks,
          blockSize, Math.min(tasks, blocks));
      return total.result();
    } finally {
      files.delete();
    }
  }

  /**
   * Rejects a wrong row count, rows beyond the stack and mixed dimensions from what the block
   * writers report ({index, count, dim, first row} per block), before the expensive scan.
   */
  private static void check(List<int[]> written, int blocks, StackLayout layout, String source) {
    if (written.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no embeddings");
    }
    long count = 0;
    int[] first = written.stream().min(Comparator.comparingInt(w -> w[0])).get();
    for (int[] w : written) {
      count += w[1];
      if (w[2] != first[2]) {
        throw new IllegalArgumentException(source + ": row " + w[3] + " has " + w[2]
            + " values but row " + first[3] + " has " + first[2] + "; every embedding needs "
            + "the same dimension");
      }
    }
    if (count != layout.rows() || written.size() != blocks
        || written.stream().anyMatch(w -> w[0] < 0 || w[0] >= blocks)) {
      throw new IllegalArgumentException(source + ": " + count + " rows where the stack of "
          + layout.samples() + " samples x " + layout.views() + " views needs " + layout.rows()
          + " (row indices 0.." + (layout.rows() - 1) + ", each once)");
    }
  }

  /** Runs a Spark action, turning a task's bad-input error back into that error. */
  private static <T> T unwrapped(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (Exception e) { // SparkException is checked, yet thrown by collect()
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof IllegalArgumentException bad) {
          throw new IllegalArgumentException(bad.getMessage(), e);
        }
      }
      throw DistributedMetrics.<RuntimeException>rethrow(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }

  private static EmbeddingBlock assemble(Iterable<StackedRow> members, String source) {
    List<StackedRow> sorted = new ArrayList<>();
    members.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(StackedRow::row));
    int dim = sorted.get(0).values().length;
    for (StackedRow r : sorted) { // a bad value is named by its own row, whatever else is wrong
      String problem = r.problem(dim, source);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    }
    float[][] raw = new float[sorted.size()][];
    int[] labels = new int[sorted.size()];
    boolean subtyped = sorted.get(0).subtype() != null;
    int[] subtypes = subtyped ? new int[sorted.size()] : null;
    for (int i = 0; i < raw.length; i++) {
      StackedRow r = sorted.get(i);
      if (r.row() != sorted.get(0).row() + i) {
        throw new IllegalArgumentException(source + ": row index " + r.row()
            + " is duplicated or out of order; each row of the stack must appear once");
      }
      raw[i] = r.values();
      labels[i] = r.label();
      if (subtyped) {
        subtypes[i] = r.subtype() == null ? -1 : r.subtype();
      }
    }
    return EmbeddingBlock.normalise(sorted.get(0).row(), raw, labels, subtypes, source);
  }

  private static RepresentationAccumulator scanBlock(BlockFiles files, int index, int blocks,
      StackLayout layout) throws IOException {
    EmbeddingBlock own = files.read(index);
    NeighbourScan scan = new NeighbourScan(layout, own);
    for (int j = 0; j < blocks; j++) {
      scan.scan(j == index ? own : files.read(j));
    }
    return scan.finish();
  }
}
