package org.ttcspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ttcspark.platform.Json;

class SweepStagesTest {

  @Test
  void finetuneResultsBecomeFinetuneColumnsOfTheTestSplit() throws Exception {
    Map<String, Object> row = SweepStages.finetuneColumns(Json.MAPPER.readTree(
        "{\"val\": {\"accuracy\": 0.1}, \"test\": {\"accuracy\": 0.9, \"balanced_accuracy\": "
            + "0.8, \"auroc\": null, \"minority_f1\": 0.7, \"macro_f1\": 0.75}}"));
    assertEquals(List.of("finetune_accuracy", "finetune_balanced_accuracy", "finetune_auroc",
        "finetune_minority_f1", "finetune_macro_f1"), List.copyOf(row.keySet()));
    assertEquals(0.9, row.get("finetune_accuracy"));
    assertEquals(0.8, row.get("finetune_balanced_accuracy"));
    assertTrue(Double.isNaN((Double) row.get("finetune_auroc")), "no AUROC: NaN, not 0");
  }
}
