package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.model.ModelConfig;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.ScalingBench;

/** The scaling model's terms measured on the shared session, as on a two-executor cluster. */
@ExtendWith(SparkTestSession.class)
class ScalingBenchSparkTest {
  private static ModelConfig tiny() {
    return ModelConfig.from(ConfigLoader.reference()
        .withValue("model.width", com.typesafe.config.ConfigValueFactory.fromAnyRef(4))
        .withValue("model.projection-dim", com.typesafe.config.ConfigValueFactory.fromAnyRef(8)));
  }

  @Test
  void twoExecutorsTimeTheStepAtOnceAndTheAllReduceBetweenThem(SparkSession spark) {
    JavaSparkContext sc = new JavaSparkContext(spark.sparkContext());
    ScalingBench.Terms t = ScalingBench.measure(sc, tiny(), 3, 8, 2, 2, 4, 4, 3, 0, 1, 7);
    assertEquals(2, t.computeExecutors());
    assertEquals(2, t.spread().partitions());
    assertEquals(1, t.fp16().partitions());
    assertEquals(t.parameters(), t.fp32().parameters());
    assertTrue(t.parameters() > 1000, "parameters " + t.parameters());
    assertTrue(t.smallStep() > 0 && t.largeStep() > 0, t.toString());
    assertTrue(t.manyTaskJob() > 0 && t.oneTaskJob() > 0 && t.driverLoss() > 0, t.toString());
    assertTrue(t.scheduling().perJobSeconds() >= 0, t.toString());
    // fp16 moves 2 bytes per value, fp32 4
    assertEquals(2 * t.exchange("fp16", 0).bytesPerExecutor(2),
        t.exchange("fp32", 0).bytesPerExecutor(2));
  }
}
