package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.bigdl.AllReduceBench;

/** BigDL's all-reduce driven as DistriOptimizer drives it, over three partitions. */
@ExtendWith(SparkTestSession.class)
class AllReduceBenchSparkTest {
  @Test
  void averagesTheGradientsOfEveryPartitionAndTimesEachPhase(SparkSession spark) {
    // 1001 values over 3 partitions: uneven slices (334, 334, 333). The bench itself checks
    // that every partition receives (1 + 2 + 3) / 3 = 2 everywhere and throws otherwise.
    AllReduceBench.Result r = AllReduceBench.run(new JavaSparkContext(spark.sparkContext()),
        1001, 3, 1, 2);
    assertEquals(1001, r.parameters());
    assertEquals(3, r.partitions());
    assertTrue(r.getWeights() > 0 && r.aggregateGradients() > 0, r.toString());
    assertTrue(r.iteration() >= r.getWeights() + r.aggregateGradients(), r.toString());
  }
}
