package org.ttcspark.data.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig.Flavour;
import org.ttcspark.data.DatasetConfig.Medmnist;
import org.ttcspark.data.Images;
import org.ttcspark.data.npy.NpyArray;
import org.ttcspark.data.npy.Npz;

/**
 * MedMNIST: one {@code .npz} with {@code <split>_images} (uint8, N×H×W or N×H×W×3) and
 * {@code <split>_labels} (N×1, or N×14 for ChestMNIST) for train, val and test. Labels become
 * binary by the flavour's rule (see {@code dataset.medmnist.positive-classes}); each image is
 * stored as a lossless PNG. The archive is opened on executors only: one task checks the shapes
 * and returns the labels, then every decode task reads its split's image array.
 */
final class MedmnistReader implements SourceReader {
  private static final long serialVersionUID = 1L;
  private static final List<String> SPLITS = List.of(Columns.TRAIN, Columns.VAL, Columns.TEST);
  private final String path;
  private final Medmnist params;

  MedmnistReader(String path, Medmnist params) {
    this.path = path;
    this.params = params;
  }

  /** What the checking task returns: image shapes and label arrays per split. */
  private record Probe(Map<String, int[]> imageShapes, Map<String, long[]> labels,
      Map<String, int[]> labelShapes, List<String> members) implements Serializable {}

  @Override
  public Plan plan(JavaSparkContext spark, HadoopConf conf) {
    Probe probe = spark.parallelize(List.of(path), 1).map(p -> probe(p, conf.get())).first();
    String file = new Path(path).getName();
    List<List<Candidate>> splits = new ArrayList<>();
    for (String split : SPLITS) {
      int[] shape = probe.imageShapes().get(split);
      long[] labels = probe.labels().get(split);
      int[] labelShape = probe.labelShapes().get(split);
      if (shape == null || labels == null) {
        throw new IllegalArgumentException(path + " lacks " + (shape == null ? split + "_images"
            : split + "_labels") + " (it holds " + probe.members() + "); a MedMNIST .npz needs "
            + "train_, val_ and test_ images and labels");
      }
      checkShape(split, shape, labelShape);
      int[] binary = binaryLabels(file + ":" + split + "_labels", labels, labelShape);
      List<Candidate> list = new ArrayList<>(binary.length);
      for (int i = 0; i < binary.length; i++) {
        String member = split + "_images[" + i + "]";
        list.add(new Candidate(member, split, binary[i], classNames().get(binary[i]), -1,
            file + ":" + member, i));
      }
      splits.add(list);
    }
    return new Plan(splits.get(0), splits.get(1), splits.get(2), classNames(), List.of());
  }

  @Override
  public Iterator<Loaded> load(Iterator<Candidate> candidates, Configuration conf) {
    Map<String, NpyArray> cache = new HashMap<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return candidates.hasNext();
      }

      @Override
      public Loaded next() {
        Candidate c = candidates.next();
        String member = c.split() + "_images";
        if (!cache.containsKey(member)) {
          cache.clear(); // candidates come sorted by split: hold one image array at a time
          try {
            cache.putAll(Npz.read(new Path(path), conf, Set.of(member)));
          } catch (IOException e) {
            return new Loaded(c, null, "cannot read " + path + ": " + e.getMessage());
          }
        }
        NpyArray images = cache.get(member);
        int[] shape = images.shape();
        int channels = shape.length == 4 ? 3 : 1;
        int rowBytes = shape[1] * shape[2] * channels;
        byte[] px = Arrays.copyOfRange(images.bytes(), (int) c.index() * rowBytes,
            (int) (c.index() + 1) * rowBytes);
        return new Loaded(c, Images.encodePng(px, shape[1], shape[2], channels), null);
      }
    };
  }

  /** Label → name for the flavour. */
  List<String> classNames() {
    switch (params.flavour()) {
      case BREAST: return List.of("malignant", "normal or benign");
      case PNEUMONIA: return List.of("normal", "pneumonia");
      case CHEST: return List.of("no finding", "finding");
      default: return List.of("normal", "disease");
    }
  }

  /** The binary labels of a label array under the flavour's rule. */
  int[] binaryLabels(String name, long[] raw, int[] shape) {
    int columns = shape.length == 2 ? shape[1] : 1;
    int[] out = new int[raw.length / columns];
    List<Integer> positive = params.positiveClasses();
    for (int i = 0; i < out.length; i++) {
      long v = raw[i * columns];
      switch (params.flavour()) {
        case CHEST:
          boolean any = false;
          for (int f = 0; f < columns; f++) {
            checkBinary(name, i, raw[i * columns + f]);
            any |= raw[i * columns + f] == 1 && (positive.isEmpty() || positive.contains(f));
          }
          out[i] = any ? 1 : 0;
          break;
        case OCT:
          if (v < 0 || v > 3) {
            throw new IllegalArgumentException(name + " row " + i + " holds " + v
                + " but OCTMNIST classes are 0..3; check dataset.medmnist.flavour");
          }
          out[i] = (positive.isEmpty() ? List.of(0, 1, 2) : positive).contains((int) v) ? 1 : 0;
          break;
        default:
          checkBinary(name, i, v);
          out[i] = (int) v;
      }
    }
    return out;
  }

  private void checkBinary(String name, int row, long v) {
    if (v != 0 && v != 1) {
      throw new IllegalArgumentException(name + " row " + row + " holds label " + v
          + ", outside {0, 1} for flavour " + params.flavour().name().toLowerCase(java.util.Locale.ROOT)
          + "; set dataset.medmnist.flavour to chest or oct to reduce multi-class labels");
    }
  }

  private void checkShape(String split, int[] shape, int[] ls) {
    int size = params.size();
    boolean ok = (shape.length == 3 || shape.length == 4 && shape[3] == 3)
        && shape[1] == size && shape[2] == size;
    if (!ok) {
      throw new IllegalArgumentException(path + ": " + split + "_images has shape "
          + Arrays.toString(shape) + " but " + size + "x" + size + " images need [N, " + size
          + ", " + size + "] or [N, " + size + ", " + size + ", 3]; set dataset.medmnist.size");
    }
    int columns = params.flavour() == Flavour.CHEST ? 14 : 1;
    if (ls.length == 0 || ls[0] != shape[0] || (ls.length == 2 ? ls[1] : 1) != columns
        || ls.length > 2) {
      throw new IllegalArgumentException(path + ": " + split + "_labels has shape "
          + Arrays.toString(ls) + " but " + split + "_images has " + shape[0] + " images and "
          + "flavour " + params.flavour().name().toLowerCase(java.util.Locale.ROOT) + " needs [" + shape[0] + ", "
          + columns + "]");
    }
  }

  private static Probe probe(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    Map<String, int[]> shapes = new HashMap<>();
    Map<String, long[]> labels = new HashMap<>();
    Map<String, int[]> labelShapes = new HashMap<>();
    for (String split : SPLITS) {
      Map<String, NpyArray> read = Npz.read(p, conf, Set.of(split + "_images", split + "_labels"));
      NpyArray images = read.get(split + "_images");
      if (images != null) {
        if (images.dtype() != NpyArray.DType.UINT8) {
          throw new IllegalArgumentException(path + ": " + split + "_images holds "
              + images.dtype().descr() + " but MedMNIST images are uint8");
        }
        shapes.put(split, images.shape());
      }
      if (read.containsKey(split + "_labels")) {
        labels.put(split, read.get(split + "_labels").longs());
        labelShapes.put(split, read.get(split + "_labels").shape());
      }
    }
    return new Probe(shapes, labels, labelShapes, List.copyOf(Npz.members(p, conf)));
  }
}
