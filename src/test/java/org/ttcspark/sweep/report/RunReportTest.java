package org.ttcspark.sweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ttcspark.sweep.TrainingLog;

class RunReportTest {
  private static String log(int epochs, int... collapsedEpochs) {
    StringBuilder sb = new StringBuilder();
    for (int e = 1; e <= epochs; e++) {
      sb.append("{\"iteration\":").append(e).append(",\"epoch\":").append(e)
          .append(",\"loss\":6.2,\"batch_mean_cosine\":0.96,\"collapsed_loss\":6.2364}\n");
      for (int c : collapsedEpochs) {
        if (c == e) {
          sb.append("{\"event\":\"collapse\",\"epoch\":").append(e).append(",\"iteration\":")
              .append(e).append(",\"loss\":6.2072,\"collapsed_loss\":6.2364,"
                  + "\"batch_mean_cosine\":0.9695}\n");
        }
      }
    }
    return sb.toString();
  }

  @Test
  void aFiringInTheFirstEpochOnlyIsNotMarkedAsACollapse() {
    String note = RunReport.collapseNote(TrainingLog.parse(log(10, 1)));
    assertTrue(note.startsWith("<p>The collapse detector fired in epoch 1 and not in the last "
        + "epoch (10)"), note);
    assertTrue(!note.contains("class=\"collapsed\""), note);
  }

  @Test
  void aRunCollapsedAtTheEndIsMarkedWithItsLastFiring() {
    assertEquals("<p class=\"collapsed\">Collapsed: the detector fired in epochs 1 8-10, last "
        + "in epoch 10 (iteration 10): loss 6.2072 against 6.2364 for a collapsed batch, batch "
        + "mean cosine 0.9695.</p>",
        RunReport.collapseNote(TrainingLog.parse(log(10, 1, 8, 9, 10))));
    assertEquals("", RunReport.collapseNote(TrainingLog.parse(log(3))));
  }
}
