package org.ttcspark.data.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ttcspark.data.spark.PrepareFixture.prepare;
import static org.ttcspark.data.spark.PrepareFixture.rows;

import java.io.File;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.Images;
import org.ttcspark.data.Manifest;
import org.ttcspark.data.SourceFiles;
import org.ttcspark.data.idx.Idx;
import org.ttcspark.data.idx.IdxFiles;
import org.ttcspark.testing.SparkTestSession;

/** The fashion-mnist source from IDX files written in the true format, and on the real files. */
@ExtendWith(SparkTestSession.class)
class FashionMnistSparkTest extends LocalFolderFixture {
  /** Where Debian's dataset-fashion-mnist installs the files. */
  static final String DEBIAN = "/usr/share/datasets/fashion-mnist";
  private static final int SIDE = 28;

  /** Writes the four files; image i of a file has class i % 10; train gzipped, t10k plain. */
  private void writeFiles(String folder, int train, int test) throws IOException {
    writePair(folder, "train", train, true, train);
    writePair(folder, "t10k", test, false, test);
  }

  private void writePair(String folder, String stem, int images, boolean gzip, int labels)
      throws IOException {
    byte[] classes = new byte[labels];
    for (int i = 0; i < labels; i++) {
      classes[i] = (byte) (i % 10);
    }
    String gz = gzip ? ".gz" : "";
    SourceFiles.write(new Path(folder, stem + "-labels-idx1-ubyte" + gz), LOCAL,
        IdxFiles.idx(Idx.LABELS_MAGIC, new int[] {labels}, classes, gzip));
    SourceFiles.write(new Path(folder, stem + "-images-idx3-ubyte" + gz), LOCAL,
        IdxFiles.idx(Idx.IMAGES_MAGIC, new int[] {images, SIDE, SIDE},
            IdxFiles.images(images, SIDE), gzip));
  }

  @Test
  void groupsClassesKeepsOriginalClassAsSubtypeAndPixelsExactly(SparkSession spark)
      throws Exception {
    writeFiles(path("fm"), 200, 60);
    Manifest m = prepare(spark, "dataset.source=fashion-mnist", "dataset.path=" + path("fm"),
        "dataset.prepared=" + path("out"), "dataset.ratios=[0.5,0.5]",
        "dataset.val-fraction=0.1", "dataset.fashion-mnist.groups=[[0,\"pullover\"],[5,7,9]]",
        "dataset.fashion-mnist.group-names=[]");
    // train: 20 per class; label 0 = classes 0, 2 (40), label 1 = 5, 7, 9 (60); val holds out
    // round(0.1 * 40) = 4 and 6, pools 36 and 54, m = 36: 18 each
    assertEquals(Map.of("0", 18L, "1", 18L), m.counts().get(Columns.TRAIN));
    assertEquals(Map.of("0", 4L, "1", 4L), m.counts().get(Columns.VAL));
    assertEquals(Map.of("0", 12L, "1", 12L), m.counts().get(Columns.TEST));
    assertEquals(List.of("T-shirt/top+Pullover", "Sandal+Sneaker+Ankle boot"), m.classNames());
    assertEquals(1, m.channels());
    assertEquals(SIDE, m.height());
    Set<Integer> subtypes = new HashSet<>();
    for (Row r : rows(spark, path("out"))) {
      int index = Integer.parseInt(((String) r.getAs(Columns.ID)).split("/")[1]);
      int subtype = r.getAs(Columns.SUBTYPE);
      assertEquals(index % 10, subtype, "subtype = original class");
      assertEquals(subtype == 0 || subtype == 2 ? 0 : 1, (int) r.getAs(Columns.LABEL));
      assertEquals(DatasetConfig.FashionMnist.CLASSES.get(subtype),
          r.getAs(Columns.CLASS_NAME));
      assertArrayEquals(IdxFiles.image(index, SIDE),
          Images.decode(r.getAs(Columns.IMAGE)).pixels(), "lossless PNG of the IDX row");
      assertEquals(r.getAs(Columns.SPLIT).equals(Columns.TEST),
          ((String) r.getAs(Columns.SOURCE)).startsWith("t10k-images-idx3-ubyte["));
      subtypes.add(subtype);
    }
    assertEquals(Set.of(0, 2, 5, 7, 9), subtypes, "classes in neither group dropped");
  }

  @Test
  void rejectsCountMismatchWrongMagicAndMissingFileNamingTheFile(SparkSession spark)
      throws Exception {
    String[] settings = {"dataset.source=fashion-mnist", "dataset.path=" + path("fm"),
        "dataset.prepared=" + path("out")};
    writeFiles(path("fm"), 20, 10);
    writePair(path("fm"), "t10k", 10, false, 9);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> prepare(spark, settings));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte holds 9 labels but"),
        e.getMessage());
    assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte holds 10 images"), e.getMessage());

    SourceFiles.write(new Path(path("fm"), "t10k-labels-idx1-ubyte"), LOCAL,
        IdxFiles.idx(Idx.IMAGES_MAGIC, new int[] {10, SIDE, SIDE}, IdxFiles.images(10, SIDE),
            false));
    e = assertThrows(IllegalArgumentException.class, () -> prepare(spark, settings));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte has magic number 0x00000803 but "
        + "an IDX labels file has 0x00000801"), e.getMessage());

    new File(path("fm"), "t10k-labels-idx1-ubyte").delete();
    e = assertThrows(IllegalArgumentException.class, () -> prepare(spark, settings));
    assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz) "
        + "is not in"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    assertTrue(!new File(path("out")).exists(), "nothing written");
  }

  @Test
  void readsDebianFilesWithTopsVersusFootwear(SparkSession spark) throws Exception {
    Assumptions.assumeTrue(new File(DEBIAN, "train-images-idx3-ubyte.gz").isFile(),
        "Fashion-MNIST is not installed in " + DEBIAN + " (apt-get install -y "
            + "dataset-fashion-mnist); skipping the test on the real files");
    DatasetConfig d = DatasetConfig.from(PrepareFixture.config("dataset.source=fashion-mnist",
        "dataset.path=" + DEBIAN));
    SourceReader reader = PrepareJob.reader(d, PrepareFixture.SEED);
    SourceReader.Plan plan = reader.plan(JavaSparkContext.fromSparkContext(
        spark.sparkContext()), new HadoopConf(LOCAL));
    // 6000 train and 1000 test images per class: tops = 4 classes, footwear = 3
    assertEquals(7 * 6000, plan.train().size());
    assertEquals(7 * 1000, plan.test().size());
    assertEquals(List.of("tops", "footwear"), plan.classNames());
    for (int c : new int[] {0, 2, 4, 6, 5, 7, 9}) {
      int label = c == 5 || c == 7 || c == 9 ? 1 : 0;
      assertEquals(6000, plan.train().stream()
          .filter(x -> x.subtype() == c && x.label() == label).count(), "class " + c);
    }
    List<Candidate> sample = List.of(plan.train().get(0), plan.train().get(41_999),
        plan.test().get(0));
    Iterator<SourceReader.Loaded> loaded = reader.load(sample.iterator(), LOCAL);
    for (Candidate c : sample) {
      SourceReader.Loaded l = loaded.next();
      Images.Decoded image = Images.decode(l.bytes());
      assertEquals(List.of(SIDE, SIDE, 1), List.of(image.height(), image.width(),
          image.channels()), c.source());
    }
    // the first label of train-labels-idx1-ubyte is 9 (ankle boot)
    assertEquals(9, plan.train().get(0).subtype());
  }
}
