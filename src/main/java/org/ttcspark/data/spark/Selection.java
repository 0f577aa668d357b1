package org.ttcspark.data.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ttcspark.data.Columns;
import org.ttcspark.data.DatasetConfig;
import org.ttcspark.data.Sampling;

/**
 * The driver's part of {@code prepare}: from a source's {@link SourceReader.Plan} to the ids to
 * read, with the sampling of README, "Preparing data" (hold-out validation, ratio step, balanced or
 * upsample option, balanced val and test). Seeded; the same plan and seed give the same ids.
 */
final class Selection {
  private Selection() {}

  /** The selected candidates, sorted by split, archive row and path (for read locality). */
  static List<Candidate> select(SourceReader.Plan plan, DatasetConfig d, long seed) {
    List<List<Candidate>> train = byLabel(plan.train(), plan.classNames());
    List<List<Candidate>> val;
    if (plan.val() == null) {
      List<List<List<Candidate>>> parts = Sampling.stratifiedSplit(train,
          new double[] {1 - d.valFraction(), d.valFraction()}, seed + 1);
      train = parts.get(0);
      val = new ArrayList<>();
      for (List<Candidate> c : parts.get(1)) {
        val.add(c.stream().map(x -> x.inSplit(Columns.VAL)).toList());
      }
    } else {
      val = byLabel(plan.val(), plan.classNames());
    }
    for (int c = 0; c < train.size(); c++) {
      if (train.get(c).isEmpty()) {
        throw new IllegalArgumentException("label " + c + " (" + plan.classNames().get(c)
            + ") has no train images in dataset.path; every class needs some");
      }
    }
    List<Candidate> out = new ArrayList<>();
    List<List<Candidate>> kept = Sampling.imbalance(train, d.ratioArray(),
        d.limit().train(), seed);
    switch (d.balance()) {
      case BALANCED:
        Sampling.balance(kept, seed + 2).forEach(out::addAll);
        break;
      case UPSAMPLE:
        Sampling.upsample(kept, seed + 2).forEach(c -> c.forEach(x -> out.add(x.item()
            .copy(x.copy()))));
        break;
      default:
        kept.forEach(out::addAll);
    }
    Sampling.balance(val, d.limit().val(), seed + 3).forEach(out::addAll);
    Sampling.balance(byLabel(plan.test(), plan.classNames()),
        d.limit().test(), seed + 4).forEach(out::addAll);
    out.sort(Comparator.comparing(Candidate::split).thenComparingLong(Candidate::index)
        .thenComparing(Candidate::source).thenComparing(Candidate::id));
    return out;
  }

  /** Candidates per label, each list sorted by id. */
  static List<List<Candidate>> byLabel(List<Candidate> candidates, List<String> classNames) {
    List<List<Candidate>> out = new ArrayList<>();
    for (int c = 0; c < classNames.size(); c++) {
      out.add(new ArrayList<>());
    }
    for (Candidate c : candidates) {
      out.get(c.label()).add(c);
    }
    out.forEach(l -> l.sort(Comparator.comparing(Candidate::id)));
    return out;
  }
}
