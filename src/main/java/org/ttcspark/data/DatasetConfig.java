package org.ttcspark.data;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code dataset} section: the source {@code prepare} reads, how it samples, and where the
 * prepared dataset lives. Every key is documented in {@code reference.conf}.
 *
 * @param source which reader
 * @param path the source's location (Hadoop path; empty for synthetic)
 * @param prepared the prepared dataset folder (Hadoop path)
 * @param ratios train fraction per label (index = label), summing to 1
 * @param balance what happens after the ratio step
 * @param valFraction fraction of train held out per class as validation (inat21, imagefolder)
 * @param limit most images kept per split (0 = all)
 * @param inat21 iNat21 parameters
 * @param medmnist MedMNIST parameters
 * @param fracatlas FracAtlas parameters
 * @param fashionMnist Fashion-MNIST parameters
 * @param synthetic synthetic-source parameters
 */
public record DatasetConfig(Source source, String path, String prepared, List<Double> ratios,
    Balance balance, double valFraction, Limit limit, Inat21 inat21, Medmnist medmnist, Fracatlas fracatlas,
    FashionMnist fashionMnist, Synthetic synthetic) implements Serializable {

  /** The readers of {@code prepare}. */
  public enum Source { INAT21, MEDMNIST, FRACATLAS, FASHION_MNIST, IMAGEFOLDER, SYNTHETIC }

  /** What happens to the train split after the ratio step (README, "Preparing data"). */
  public enum Balance { NONE, BALANCED, UPSAMPLE }

  /** MedMNIST datasets: how their labels become binary. */
  public enum Flavour { BREAST, PNEUMONIA, CHEST, OCT }

  /**
   * Caps on the prepared splits, for a quick version of a large source: the train cap scales
   * every class of the ratio step by the same factor (the minority keeps at least one image),
   * the val and test caps are split evenly over the classes after balancing. 0 = no cap.
   */
  public record Limit(int train, int val, int test) implements Serializable {}

  /** @param prefixes one taxonomy prefix per label */
  public record Inat21(List<String> prefixes) implements Serializable {}

  /**
   * @param flavour which MedMNIST dataset
   * @param size image side in pixels (28, 64, 128, 224)
   * @param positiveClasses source classes (oct) or findings (chest) that become label 1;
   *     empty: the flavour's default rule
   */
  public record Medmnist(Flavour flavour, int size, List<Integer> positiveClasses) implements Serializable {}

  /** @param fractions train, val, test fractions; @param labelColumn the CSV's 0/1 column */
  public record Fracatlas(double[] fractions, String labelColumn) implements Serializable {}

  /**
   * @param groups per label, the original class indices (0..9) that make it, disjoint
   * @param names label → name
   */
  public record FashionMnist(List<List<Integer>> groups, List<String> names)
      implements Serializable {
    /** The ten classes of Fashion-MNIST, by index (Xiao et al. 2017, Table 1). */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover",
        "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  }

  /**
   * @param perClass images per label for train, val, test
   * @param size image side in pixels
   * @param subtypes latent sub-types per label
   * @param noise pixel noise standard deviation in [0, 1] intensity units
   * @param jpeg JPEG (quality 90) instead of PNG
   * @param texture contrast of the label-1 texture, 0 for none
   * @param hueSplit where the object hues of the two labels part, 0 for not at all
   */
  public record Synthetic(int[] perClass, int size, int[] subtypes, double noise, boolean jpeg,
      double texture, double hueSplit) implements Serializable {}

  private static final Set<Integer> MEDMNIST_SIZES = Set.of(28, 64, 128, 224);

  /** Reads and checks the section; all problems are reported together. */
  public static DatasetConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    Source source = r.enumOf("dataset.source", Source.class);
    String path = r.string("dataset.path");
    r.require(source == Source.SYNTHETIC || !path.isBlank(), "dataset.path",
        "must name the " + ConfigReader.kebab(source) + " source's location");
    String prepared = r.string("dataset.prepared");
    r.require(!prepared.isBlank(), "dataset.prepared", "must name the output folder");
    List<Double> ratios = r.doubles("dataset.ratios");
    r.require(ratios.size() == 2, "dataset.ratios", "must hold two fractions, one per label");
    r.require(ratios.stream().allMatch(x -> x > 0 && x <= 1), "dataset.ratios",
        "must hold fractions in (0, 1]");
    r.require(Math.abs(ratios.stream().mapToDouble(Double::doubleValue).sum() - 1) < 1e-9,
        "dataset.ratios", "must sum to 1, e.g. [0.05, 0.95]");
    Balance balance = r.enumOf("dataset.balance", Balance.class);
    double valFraction = r.doubleIn("dataset.val-fraction", 0, 0.5);
    Limit limit = new Limit(r.intIn("dataset.limit.train", 0, Integer.MAX_VALUE),
        r.intIn("dataset.limit.val", 0, Integer.MAX_VALUE),
        r.intIn("dataset.limit.test", 0, Integer.MAX_VALUE));
    r.require(limit.val() != 1 && limit.test() != 1, "dataset.limit",
        "val and test caps are split over both classes: give 0 (no cap) or at least 2");

    List<String> prefixes = r.strings("dataset.inat21.prefixes");
    if (source == Source.INAT21) {
      r.require(prefixes.size() == 2 && prefixes.stream().noneMatch(String::isBlank),
          "dataset.inat21.prefixes", "must hold two non-empty taxonomy prefixes, e.g. "
              + "[\"Animalia_Chordata_Mammalia_Artiodactyla\", \"Animalia_Chordata_Mammalia_"
              + "Carnivora\"] (see conf/dataset/inat21-*.conf)");
    }
    Medmnist medmnist = medmnist(r);
    double[] fractions = {r.doubleIn("dataset.fracatlas.train-fraction", 0, 1),
        r.doubleIn("dataset.fracatlas.val-fraction", 0, 1),
        r.doubleIn("dataset.fracatlas.test-fraction", 0, 1)};
    r.require(Math.abs(fractions[0] + fractions[1] + fractions[2] - 1) < 1e-9 && fractions[0] > 0,
        "dataset.fracatlas.train-fraction", "with val-fraction and test-fraction must sum to 1 "
            + "(train-fraction > 0)");
    Fracatlas fracatlas = new Fracatlas(fractions, r.string("dataset.fracatlas.label-column"));
    FashionMnist fashionMnist = fashionMnist(r);
    Synthetic synthetic = synthetic(r);
    r.done();
    return new DatasetConfig(source, path, prepared, List.copyOf(ratios), balance, valFraction,
        limit, new Inat21(List.copyOf(prefixes)), medmnist, fracatlas, fashionMnist, synthetic);
  }

  /** The ratios as an array indexed by label. */
  public double[] ratioArray() {
    return ratios.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static Medmnist medmnist(ConfigReader r) {
    Flavour flavour = r.enumOf("dataset.medmnist.flavour", Flavour.class);
    int size = r.intIn("dataset.medmnist.size", 1, 4096);
    r.require(MEDMNIST_SIZES.contains(size), "dataset.medmnist.size",
        "must be one of 28, 64, 128, 224 (the MedMNIST+ sizes)");
    List<Integer> positive;
    try {
      positive = List.copyOf(r.config().getIntList("dataset.medmnist.positive-classes"));
    } catch (com.typesafe.config.ConfigException e) {
      r.require(false, "dataset.medmnist.positive-classes", "must be a list of integers");
      positive = List.of();
    }
    int classes = flavour == Flavour.CHEST ? 14 : flavour == Flavour.OCT ? 4 : 2;
    r.require(positive.stream().allMatch(c -> c >= 0 && c < classes),
        "dataset.medmnist.positive-classes", "must hold " + ConfigReader.kebab(flavour)
            + " classes between 0 and " + (classes - 1));
    return new Medmnist(flavour, size, positive);
  }

  private static FashionMnist fashionMnist(ConfigReader r) {
    String key = "dataset.fashion-mnist.groups";
    List<List<Integer>> groups = new java.util.ArrayList<>();
    boolean[] used = new boolean[FashionMnist.CLASSES.size()];
    List<? extends Object> raw;
    try {
      raw = r.config().getList(key).unwrapped();
    } catch (com.typesafe.config.ConfigException e) {
      raw = List.of();
    }
    String fix = "must hold two disjoint non-empty lists of class indices 0..9 or names, e.g. "
        + "[[0, 2, 4, 6], [5, 7, 9]] or [[\"T-shirt/top\", \"Pullover\"], [\"Sneaker\"]]";
    r.require(raw.size() == 2, key, fix);
    for (Object group : raw.size() == 2 ? raw : List.of()) {
      List<Integer> indices = new java.util.ArrayList<>();
      boolean ok = group instanceof List<?> l && !l.isEmpty();
      for (Object item : ok ? (List<?>) group : List.of()) {
        int c = classIndex(item);
        r.require(c >= 0, key, "names no Fashion-MNIST class with " + item + "; classes are "
            + "0..9: " + FashionMnist.CLASSES);
        r.require(c < 0 || !used[c], key, "names class " + item + " twice; " + fix);
        if (c >= 0 && !used[c]) {
          used[c] = true;
          indices.add(c);
        }
      }
      r.require(ok, key, fix);
      groups.add(List.copyOf(indices));
    }
    List<String> names = r.strings("dataset.fashion-mnist.group-names");
    r.require(names.isEmpty() || names.size() == 2 && names.stream().noneMatch(String::isBlank),
        "dataset.fashion-mnist.group-names", "must be empty or hold two non-empty names, e.g. "
            + "[\"tops\", \"footwear\"]");
    if (names.size() != 2) {
      names = groups.stream().map(g -> String.join("+", g.stream()
          .map(FashionMnist.CLASSES::get).toList())).toList();
    }
    return new FashionMnist(List.copyOf(groups), List.copyOf(names));
  }

  /** A class given as index or name (case-insensitive), or -1. */
  private static int classIndex(Object item) {
    if (item instanceof Number n) {
      int c = n.intValue();
      return n.doubleValue() == c && c >= 0 && c < FashionMnist.CLASSES.size() ? c : -1;
    }
    for (int c = 0; c < FashionMnist.CLASSES.size(); c++) {
      if (FashionMnist.CLASSES.get(c).equalsIgnoreCase(String.valueOf(item).trim())) {
        return c;
      }
    }
    return -1;
  }

  private static Synthetic synthetic(ConfigReader r) {
    int[] perClass = {r.intIn("dataset.synthetic.train-per-class", 1, Integer.MAX_VALUE),
        r.intIn("dataset.synthetic.val-per-class", 0, Integer.MAX_VALUE),
        r.intIn("dataset.synthetic.test-per-class", 0, Integer.MAX_VALUE)};
    int size = r.intIn("dataset.synthetic.size", 8, 1024);
    List<Integer> subtypes;
    try {
      subtypes = r.config().getIntList("dataset.synthetic.subtypes");
    } catch (com.typesafe.config.ConfigException e) {
      r.require(false, "dataset.synthetic.subtypes", "must be a list of two integers");
      subtypes = List.of(1, 1);
    }
    r.require(subtypes.size() == 2 && subtypes.stream().allMatch(k -> k >= 1 && k <= 64),
        "dataset.synthetic.subtypes", "must hold two counts between 1 and 64, one per label");
    double noise = r.doubleIn("dataset.synthetic.noise", 0, 1);
    double texture = r.doubleIn("dataset.synthetic.texture", 0, 1);
    double hueSplit = r.doubleIn("dataset.synthetic.hue-split", 0, 0.99);
    String format = r.oneOf("dataset.synthetic.format", "png", "jpeg");
    int[] k = subtypes.size() == 2 ? new int[] {subtypes.get(0), subtypes.get(1)} : new int[] {1, 1};
    return new Synthetic(perClass, size, k, noise, format.equals("jpeg"), texture,
        hueSplit);
  }
}
