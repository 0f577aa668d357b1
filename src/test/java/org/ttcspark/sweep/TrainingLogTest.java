package org.ttcspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingLogTest {
  private static final String LOG = String.join("\n",
      "{\"iteration\":1,\"epoch\":1,\"loss\":5.6,\"lr\":0.1,\"batch_mean_cosine\":0.2,"
          + "\"collapsed_loss\":5.5413}",
      "{\"iteration\":2,\"epoch\":1,\"loss\":5.5412,\"lr\":0.2,\"batch_mean_cosine\":0.999,"
          + "\"collapsed_loss\":5.5413}",
      "{\"event\":\"collapse\",\"epoch\":1,\"iteration\":2,\"loss\":5.5412,"
          + "\"collapsed_loss\":5.5413,\"batch_mean_cosine\":0.999}",
      "{\"event\":\"online_eval\",\"epoch\":1,\"iteration\":2,\"knn_accuracy\":0.5,"
          + "\"knn_balanced_accuracy\":0.5,\"knn_auroc\":0.52,\"subtype_knn_accuracy\":null,"
          + "\"majority_subtype_knn_accuracy\":0.27}",
      "{\"epoch\":1,\"iteration\":2,\"val_loss\":5.0,\"val_samples\":20}",
      "{\"iteration\":3,\"epoch\":2,\"loss\":5.5413,\"lr\":0.1,\"collapsed_loss\":5.5413}",
      "{\"iteration\":4,\"epoch\":2,\"lo");

  @Test
  void readsCurvesCollapsesAndOnlineEvaluationAndSkipsATornLastLine() {
    TrainingLog log = TrainingLog.parse(LOG);
    assertEquals(3, log.loss().size(), "iteration lines only; validation and torn line skipped");
    assertEquals(5.5413, log.finalLoss(), 1e-12);
    assertEquals(0.2, log.lr().get(1)[1], 1e-12);
    assertFalse(log.collapsed(), "fired in epoch 1 only; the last epoch is 2");
    assertEquals(2, log.lastEpoch());
    assertEquals(1, log.collapses().size());
    assertEquals(0.999, log.collapses().get(0).batchMeanCosine(), 1e-12);
    assertEquals(5.5413, log.collapsedLoss(), 1e-12);
    assertEquals(0.52, log.online().get("knn_auroc").get(0)[1], 1e-12);
    assertFalse(log.online().containsKey("subtype_knn_accuracy"), "null values are no points");
    assertFalse(log.online().containsKey("iteration"));
  }

  @Test
  void columnsForTheResultsTable() {
    Map<String, Object> c = TrainingLog.parse(LOG).columns();
    assertEquals(false, c.get("collapsed"), "an early firing is not a collapsed run");
    assertNull(c.get("collapse_epoch"));
    assertEquals("1", c.get("collapse_epochs"));
    assertEquals(5.5413, (Double) c.get("final_loss"), 1e-12);
    Map<String, Object> clean = TrainingLog.parse(
        "{\"iteration\":1,\"epoch\":1,\"loss\":4.0,\"lr\":0.1}\n").columns();
    assertNull(clean.get("collapsed"), "no detector columns: not checked, not 'no collapse'");
    assertNull(clean.get("collapse_epoch"));
    assertNull(clean.get("collapsed_loss"), "a log without the column has no reference value");
    Map<String, Object> watched = TrainingLog.parse("{\"iteration\":1,\"epoch\":1,\"loss\":4.0,"
        + "\"batch_mean_cosine\":0.3,\"collapsed_loss\":null}\n").columns();
    assertEquals(false, watched.get("collapsed"));
    assertNull(watched.get("collapsed_loss"), "a method without a collapsed value");
    assertNull(TrainingLog.parse("").columns().get("collapsed"));
  }

  @Test
  void aRunEndsCollapsedWhenTheDetectorFiresInItsLastEpoch() {
    StringBuilder log = new StringBuilder();
    for (int epoch = 1; epoch <= 6; epoch++) {
      log.append("{\"iteration\":").append(epoch).append(",\"epoch\":").append(epoch)
          .append(",\"loss\":5.54,\"batch_mean_cosine\":0.99,\"collapsed_loss\":5.5413}\n");
      if (epoch == 1 || epoch == 2 || epoch >= 4) {
        log.append("{\"event\":\"collapse\",\"epoch\":").append(epoch)
            .append(",\"iteration\":").append(epoch).append(",\"loss\":5.54}\n");
      }
    }
    TrainingLog t = TrainingLog.parse(log.toString());
    assertTrue(t.collapsed());
    Map<String, Object> c = t.columns();
    assertEquals(true, c.get("collapsed"));
    assertEquals(4L, c.get("collapse_epoch"), "the collapse that ends training began in epoch 4");
    assertEquals("1-2 4-6", c.get("collapse_epochs"));
  }
}
