package org.ttcspark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ttcspark.data.Columns;
import org.ttcspark.data.Manifest;
import org.ttcspark.platform.HadoopFiles;

/**
 * The prepared dataset's class counts against what the configuration says of them, read from
 * its {@code manifest.json} on the driver before Spark starts. Both findings are warnings, not
 * errors: a balanced or deliberately inverted experiment is legitimate, but it should never
 * happen silently (SupMin supervising the majority was one such silent run).
 */
final class MinorityCheck {
  private MinorityCheck() {}

  /** The manifest of the prepared dataset at {@code prepared}. */
  static Manifest read(String prepared, Configuration hadoop) {
    Path file = new Path(prepared, Columns.MANIFEST);
    try {
      return Manifest.parse(HadoopFiles.readString(file, hadoop), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A warning when {@code loss.minority-class} has more train images than the other class, or
   * null.
   */
  static String warning(Manifest m, int minorityClass, String prepared) {
    long minority = m.count(Columns.TRAIN, minorityClass);
    long other = m.count(Columns.TRAIN, 1 - minorityClass);
    if (minority <= other) {
      return null;
    }
    return "loss.minority-class = " + minorityClass + " names the majority of the train split of "
        + prepared + " (" + minority + " images of class " + minorityClass + ", " + other
        + " of class " + (1 - minorityClass) + "): supmin would supervise the majority; set "
        + "loss.minority-class=" + (1 - minorityClass) + " if class " + (1 - minorityClass)
        + " is the rare one";
  }

  /** A warning when a class has no train images at all (training would refuse it), or null. */
  static String emptyClassWarning(Manifest m, String prepared) {
    for (int label = 0; label < 2; label++) {
      if (m.count(Columns.TRAIN, label) == 0) {
        return "the train split of " + prepared + " has no images of class " + label + " ("
            + m.count(Columns.TRAIN, 1 - label) + " of class " + (1 - label) + "): pretrain "
            + "and train-ce need both classes; raise dataset.ratios[" + label + "] or give the "
            + "source more images of class " + label;
      }
    }
    return null;
  }
}
