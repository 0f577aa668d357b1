package org.ttcspark.data.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.Images;
import org.ttcspark.data.SyntheticImages;

/**
 * The synthetic source ({@link SyntheticImages}): {@code per-class} images per label and split,
 * image i of a label having sub-type {@code i mod subtypes[label]}. Rendered on the executors.
 */
final class SyntheticReader implements SourceReader {
  private static final long serialVersionUID = 1L;
  static final List<String> CLASS_NAMES = List.of("disc", "square");
  private static final List<String> SPLITS = List.of(Columns.TRAIN, Columns.VAL, Columns.TEST);
  private final DatasetConfig.Synthetic params;
  private final long seed;

  SyntheticReader(DatasetConfig.Synthetic params, long seed) {
    this.params = params;
    this.seed = seed;
  }

  @Override
  public Plan plan(JavaSparkContext spark, HadoopConf conf) {
    List<List<Candidate>> splits = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      List<Candidate> list = new ArrayList<>();
      for (int label = 0; label < 2; label++) {
        for (long i = 0; i < params.perClass()[s]; i++) {
          String id = SPLITS.get(s) + "/" + label + "/" + i;
          list.add(new Candidate(id, SPLITS.get(s), label, CLASS_NAMES.get(label),
              (int) (i % params.subtypes()[label]), "synthetic:" + id, i));
        }
      }
      splits.add(list);
    }
    return new Plan(splits.get(0), splits.get(1), splits.get(2), CLASS_NAMES, List.of());
  }

  @Override
  public Iterator<Loaded> load(Iterator<Candidate> candidates, Configuration conf) {
    int modes = Math.max(params.subtypes()[0], params.subtypes()[1]);
    int size = params.size();
    return SourceReader.each(candidates, c -> {
      byte[] px = SyntheticImages.render(seed, SPLITS.indexOf(c.split()), c.label(), c.index(),
          c.subtype(), modes, size, params.noise(), params.texture(), params.hueSplit());
      byte[] encoded = params.jpeg() ? Images.encodeJpeg(px, size, size, 3, 0.9f)
          : Images.encodePng(px, size, size, 3);
      return new Loaded(c, encoded, null);
    });
  }
}
