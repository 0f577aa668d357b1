package org.ttcspark.data.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig.FashionMnist;
import org.ttcspark.data.Images;
import org.ttcspark.data.idx.Idx;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, arXiv:1708.07747): four IDX files in one folder,
 * plain or gzipped, as Debian's {@code dataset-fashion-mnist} installs them in
 * {@code /usr/share/datasets/fashion-mnist}. The ten classes are grouped into the two labels by
 * {@code dataset.fashion-mnist.groups}; the original class becomes the sub-type, so that the
 * representation metrics' sub-type k-NN measures the within-label structure the paper is about.
 * {@code train-*} gives train (validation held out by the job), {@code t10k-*} the test split.
 * The files are opened on executors only: one task checks the headers and returns the labels,
 * then every decode task reads its split's image file.
 */
final class FashionMnistReader implements SourceReader {
  private static final long serialVersionUID = 1L;
  /** File stem per source split. */
  private static final List<String> STEMS = List.of("train", "t10k");
  private static final int SIDE = 28;
  private final String root;
  private final FashionMnist params;

  FashionMnistReader(String root, FashionMnist params) {
    this.root = root;
    this.params = params;
  }

  /** What the checking task returns: the labels per source split (train, t10k). */
  private record Probe(List<byte[]> labels, List<String> imageFiles) implements Serializable {}

  @Override
  public Plan plan(JavaSparkContext spark, HadoopConf conf) {
    Probe probe = spark.parallelize(List.of(root), 1).map(r -> probe(r, conf.get())).first();
    int[] labelOf = new int[FashionMnist.CLASSES.size()];
    Arrays.fill(labelOf, -1);
    for (int g = 0; g < params.groups().size(); g++) {
      for (int c : params.groups().get(g)) {
        labelOf[c] = g;
      }
    }
    List<List<Candidate>> splits = new ArrayList<>();
    for (int s = 0; s < STEMS.size(); s++) {
      byte[] labels = probe.labels().get(s);
      String file = probe.imageFiles().get(s);
      String split = s == 0 ? Columns.TRAIN : Columns.TEST;
      List<Candidate> list = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        int c = labels[i] & 0xff;
        if (labelOf[c] >= 0) {
          list.add(new Candidate(STEMS.get(s) + "/" + i, split, labelOf[c],
              FashionMnist.CLASSES.get(c), c, file + "[" + i + "]", i));
        }
      }
      splits.add(list);
    }
    return new Plan(splits.get(0), null, splits.get(1), params.names(), List.of());
  }

  @Override
  public Iterator<Loaded> load(Iterator<Candidate> candidates, Configuration conf) {
    // candidates come sorted by split (test, train, val): hold one image file at a time
    Idx.Array[] cache = new Idx.Array[1];
    String[] cached = new String[1];
    String[] error = new String[1];
    return SourceReader.each(candidates, c -> {
      String stem = c.split().equals(Columns.TEST) ? STEMS.get(1) : STEMS.get(0);
      if (!stem.equals(cached[0])) {
        cache[0] = null;
        error[0] = null;
        cached[0] = stem; // a failed read is not retried for every row of the file
        try {
          Path file = locate(root, stem + "-images-idx3-ubyte", conf);
          cache[0] = read(file, conf, Idx.IMAGES_MAGIC, true);
        } catch (IOException | IllegalArgumentException e) {
          error[0] = "cannot read the " + stem + " images in " + root + ": " + e.getMessage();
        }
      }
      if (cache[0] == null) {
        return new Loaded(c, null, error[0]);
      }
      Idx.Array images = cache[0];
      int n = images.itemBytes();
      if (c.index() >= images.count()) {
        return new Loaded(c, null, "row " + c.index() + " beyond the " + images.count()
            + " images of the file");
      }
      byte[] px = Arrays.copyOfRange(images.bytes(), (int) c.index() * n,
          (int) (c.index() + 1) * n);
      return new Loaded(c, Images.encodePng(px, images.shape()[1], images.shape()[2], 1), null);
    });
  }

  /** The file {@code name} or {@code name.gz} in {@code root}, preferring the plain one. */
  static Path locate(String root, String name, Configuration conf) throws IOException {
    Path plain = new Path(root, name);
    Path gz = new Path(root, name + ".gz");
    FileSystem fs = plain.getFileSystem(conf);
    if (fs.exists(plain)) {
      return plain;
    }
    if (fs.exists(gz)) {
      return gz;
    }
    throw new IllegalArgumentException("Fashion-MNIST file " + name + " (or " + name + ".gz) is "
        + "not in " + root + "; set dataset.path to the folder of the four IDX files (Debian: "
        + "apt-get install dataset-fashion-mnist puts them in /usr/share/datasets/fashion-mnist)");
  }

  private static Idx.Array read(Path file, Configuration conf, int magic, boolean withBytes)
      throws IOException {
    try (InputStream in = Idx.maybeGunzip(file.getFileSystem(conf).open(file))) {
      return Idx.read(in, file.toString(), magic, withBytes);
    }
  }

  private static Probe probe(String root, Configuration conf) throws IOException {
    List<byte[]> labels = new ArrayList<>();
    List<String> files = new ArrayList<>();
    for (String stem : STEMS) {
      Path labelFile = locate(root, stem + "-labels-idx1-ubyte", conf);
      Path imageFile = locate(root, stem + "-images-idx3-ubyte", conf);
      Idx.Array l = read(labelFile, conf, Idx.LABELS_MAGIC, true);
      Idx.Array im = read(imageFile, conf, Idx.IMAGES_MAGIC, false);
      if (im.shape()[1] != SIDE || im.shape()[2] != SIDE) {
        throw new IllegalArgumentException(imageFile + " holds " + im.shape()[1] + "x"
            + im.shape()[2] + " images but Fashion-MNIST's are " + SIDE + "x" + SIDE
            + "; set dataset.path to the Fashion-MNIST folder");
      }
      if (l.count() != im.count()) {
        throw new IllegalArgumentException(labelFile + " holds " + l.count() + " labels but "
            + imageFile + " holds " + im.count() + " images; the pair must match: replace the "
            + "truncated or foreign file");
      }
      for (int i = 0; i < l.count(); i++) {
        int c = l.bytes()[i] & 0xff;
        if (c >= FashionMnist.CLASSES.size()) {
          throw new IllegalArgumentException(labelFile + " row " + i + " holds class " + c
              + " but Fashion-MNIST has classes 0..9; the file is not a Fashion-MNIST label "
              + "file");
        }
      }
      labels.add(l.bytes());
      files.add(imageFile.getName());
    }
    return new Probe(labels, files);
  }
}
