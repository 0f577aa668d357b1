package org.ttcspark.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttcspark.train.MetricsLogFile;

/**
 * What a run's {@code metrics.jsonl} says about its training, read back for the results table
 * and the report: the loss and learning-rate curves, the per-epoch online evaluation and the
 * collapse events. A line that is not a JSON object (the torn last line of a killed run) is
 * skipped, so a crashed run can still be reported.
 *
 * @param loss {iteration, loss} of every iteration line
 * @param lr {iteration, learning rate} of every iteration line that has one
 * @param online online-evaluation column → {epoch, value}, in order of appearance
 * @param collapses the collapse events, in order
 * @param collapsedLoss the loss of a fully collapsed batch as the last iteration line gives it,
 *     or null when the method has none (or the log predates the column)
 * @param watched whether the collapse detector watched the run: an iteration line carries its
 *     columns ({@code batch_mean_cosine}, {@code collapsed_loss}) or a collapse line exists
 * @param lastEpoch the epoch of the last iteration line (0 without one)
 */
public record TrainingLog(List<double[]> loss, List<double[]> lr,
    Map<String, List<double[]>> online, List<Collapse> collapses, Double collapsedLoss,
    boolean watched, long lastEpoch) {

  /** The event name of a collapse line in metrics.jsonl. */
  public static final String COLLAPSE = "collapse";
  /** The event name of an online-evaluation line in metrics.jsonl. */
  public static final String ONLINE_EVAL = "online_eval";

  /**
   * One epoch in which the collapse detector fired.
   *
   * @param collapsedLoss the reference value, or null
   * @param batchMeanCosine the batch's mean pairwise cosine of projections, or null
   */
  public record Collapse(long epoch, long iteration, double loss, Double collapsedLoss,
      Double batchMeanCosine) {}

  /**
   * Parses the text of a metrics.jsonl file (empty text: an empty log) with the log's own
   * reader, which skips a torn last line.
   */
  public static TrainingLog parse(String text) {
    return of(MetricsLogFile.parse(text, MetricsLogFile.NAME));
  }

  /** The log of the lines {@link MetricsLogFile#read} returns. */
  public static TrainingLog of(List<JsonNode> lines) {
    List<double[]> loss = new ArrayList<>();
    List<double[]> lr = new ArrayList<>();
    Map<String, List<double[]>> online = new LinkedHashMap<>();
    List<Collapse> collapses = new ArrayList<>();
    Double collapsedLoss = null;
    boolean watched = false;
    long lastEpoch = 0;
    for (JsonNode l : lines) {
      String event = l.path("event").asText("");
      if (event.equals(COLLAPSE)) {
        collapses.add(new Collapse(l.path("epoch").asLong(), l.path("iteration").asLong(),
            l.path("loss").asDouble(Double.NaN), number(l.get("collapsed_loss")),
            number(l.get("batch_mean_cosine"))));
      } else if (event.equals(ONLINE_EVAL)) {
        double epoch = l.path("epoch").asDouble();
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getValue().isNumber() && !e.getKey().equals("epoch")
              && !e.getKey().equals("iteration")) {
            online.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                .add(new double[] {epoch, e.getValue().asDouble()});
          }
        }
      } else if (event.isEmpty() && l.has("iteration") && number(l.get("loss")) != null) {
        double it = l.get("iteration").asDouble();
        lastEpoch = Math.max(lastEpoch, l.path("epoch").asLong(0));
        loss.add(new double[] {it, l.get("loss").asDouble()});
        if (number(l.get("lr")) != null) {
          lr.add(new double[] {it, l.get("lr").asDouble()});
        }
        if (l.has("collapsed_loss")) {
          collapsedLoss = number(l.get("collapsed_loss"));
        }
        watched |= l.has("collapsed_loss") || l.has("batch_mean_cosine");
      }
    }
    return new TrainingLog(loss, lr, online, collapses, collapsedLoss,
        watched || !collapses.isEmpty(), lastEpoch);
  }

  /**
   * Whether the encoder ended collapsed: the detector fired in the last epoch trained. An
   * untrained encoder's projections are nearly parallel and its loss sits near the collapsed
   * value, so a detector that fired only in the first epochs saw the start of training, not a
   * collapse; {@link #collapseEpochs} keeps those epochs.
   */
  public boolean collapsed() {
    return !collapses.isEmpty()
        && collapses.get(collapses.size() - 1).epoch() >= Math.max(1, lastEpoch);
  }

  /** The distinct epochs in which the detector fired, in order. */
  public List<Long> collapseEpochs() {
    return collapses.stream().map(Collapse::epoch).distinct().sorted().toList();
  }

  /**
   * The first epoch of the unbroken stretch of collapsed epochs that ends training, or null when
   * the run did not end collapsed.
   */
  public Long finalCollapseEpoch() {
    if (!collapsed()) {
      return null;
    }
    List<Long> epochs = collapseEpochs();
    int i = epochs.size() - 1;
    while (i > 0 && epochs.get(i - 1) == epochs.get(i) - 1) {
      i--;
    }
    return epochs.get(i);
  }

  /** The epochs the detector fired in as ranges, {@code "1-3 9-10"}; null when it never fired. */
  public String collapseEpochRanges() {
    List<Long> epochs = collapseEpochs();
    if (epochs.isEmpty()) {
      return null;
    }
    List<String> ranges = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= epochs.size(); i++) {
      if (i == epochs.size() || epochs.get(i) != epochs.get(i - 1) + 1) {
        ranges.add(start == i - 1 ? epochs.get(start).toString()
            : epochs.get(start) + "-" + epochs.get(i - 1));
        start = i;
      }
    }
    return String.join(" ", ranges);
  }

  /** The loss of the last iteration line, or null without one. */
  public Double finalLoss() {
    return loss.isEmpty() ? null : loss.get(loss.size() - 1)[1];
  }

  /** true or false when the detector watched the run, else null (not checked). */
  public Boolean collapsedIfWatched() {
    return watched ? collapsed() : null;
  }

  /**
   * The columns this log adds to a row of the results table: {@code collapsed} (whether the run
   * ended collapsed: true/false, or null when no detector watched the run),
   * {@code collapse_epoch} (first epoch of the collapse that ends training, or null),
   * {@code collapse_epochs} (every epoch the detector fired in, as ranges, or null),
   * {@code final_loss} and {@code collapsed_loss} (null when unknown).
   */
  public Map<String, Object> columns() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("collapsed", collapsedIfWatched());
    row.put("collapse_epoch", finalCollapseEpoch());
    row.put("collapse_epochs", collapseEpochRanges());
    row.put("final_loss", finalLoss());
    row.put("collapsed_loss", collapsedLoss);
    return row;
  }

  private static Double number(JsonNode n) {
    return n == null || !n.isNumber() || !Double.isFinite(n.asDouble()) ? null : n.asDouble();
  }
}
