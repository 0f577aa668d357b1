package org.ttcspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {
  @Test
  void csvQuotesCommasAndQuotesAndMarkdownEscapesPipes() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("dataset", "a,\"b\"|c");
    row.put("ratio", 0.05);
    row.put("saa_0", Double.NaN);
    String csv = ResultsTable.csv(List.of(row));
    assertEquals("dataset,ratio,method,seed,hash,status,wall_seconds,run_folder,saa_0\n"
        + "\"a,\"\"b\"\"|c\",0.0500,,,,,,,\n", csv);
    String md = ResultsTable.markdown(List.of(row));
    org.junit.jupiter.api.Assertions.assertTrue(
        md.split("\n")[2].startsWith("| a,\"b\"\\|c | 0.0500 |"), md);
  }
}
