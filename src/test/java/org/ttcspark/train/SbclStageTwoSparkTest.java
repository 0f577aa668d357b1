package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.intel.analytics.bigdl.nn.Normalize;
import com.intel.analytics.bigdl.nn.Sequential;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ttcspark.data.Columns;
import org.ttcspark.model.bigdl.ModuleFiles;
import org.ttcspark.platform.Json;
import org.ttcspark.platform.RunFolder;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.Finetune;
import org.ttcspark.train.bigdl.Pretrain;

/** SBCL's second stage through {@code ttc finetune}: LDAM-DRW on unit features, and CB. */
@ExtendWith(SparkTestSession.class)
class SbclStageTwoSparkTest {
  @TempDir
  Path tmp;

  @Test
  @SuppressWarnings("unchecked")
  void ldamDrwTrainsOnUnitFeaturesAndCbRunsBesideIt(SparkSession spark) throws Exception {
    Path data = SyntheticPrepared.write(spark, tmp.resolve("data"), 16, 24, 24, 3);
    PretrainSparkTest.copyTree(data.resolve(Columns.SPLIT + "=" + Columns.VAL),
        data.resolve(Columns.SPLIT + "=" + Columns.TEST));
    Config pre = PretrainSparkTest.config(tmp, data, "simclr", "pre", 1);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true);
    Pretrain.run(spark, pre, RunFolder.create("pretrain", pre, new Configuration()), false,
        quiet);
    Path run = tmp.resolve("runs/pre");
    Config ft = pre.withValue("finetune.epochs", ConfigValueFactory.fromAnyRef(2))
        .withValue("finetune.batch-size", ConfigValueFactory.fromAnyRef(16))
        .withValue("finetune.ldam.drw-epoch", ConfigValueFactory.fromAnyRef(2));
    for (String balance : new String[] {"ldam-drw", "cb"}) {
      Config c = ft.withValue("finetune.balance", ConfigValueFactory.fromAnyRef(balance))
          .withValue("finetune.folder", ConfigValueFactory.fromAnyRef("ft-" + balance));
      Finetune.Result r = Finetune.run(spark, c, new org.apache.hadoop.fs.Path(run.toString()),
          false, quiet);
      assertEquals(2, r.last().epoch(), balance);
      JsonNode results = Json.MAPPER.readTree(run.resolve("ft-" + balance + "/results.json")
          .toFile());
      assertEquals(balance, results.get("balance").asText());
      double auroc = results.get("test").get("auroc").asDouble(-1);
      assertTrue(auroc >= 0 && auroc <= 1, balance + " auroc " + auroc);
    }
    Sequential<Object> model = (Sequential<Object>) (Object) ModuleFiles.load(
        new org.apache.hadoop.fs.Path(run.resolve("ft-ldam-drw/checkpoints/epoch-0002/model.bigdl")
            .toString()), new Configuration());
    assertTrue(model.modules().apply(model.modules().size() - 2) instanceof Normalize,
        "ldam-drw's head sees unit features");
  }
}
