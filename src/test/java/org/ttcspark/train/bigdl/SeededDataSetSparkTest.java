package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;

/** Local scope's data order: a function of the seed, the epoch and the step alone. */
@ExtendWith(SparkTestSession.class)
class SeededDataSetSparkTest {
  private static List<String> batch(JavaSparkContext sc, SeededDataSet epoch, long step,
      int perPartition) {
    sc.setLocalProperty(SeededDataSet.STEP, Long.toString(step));
    try {
      return JavaRDD.fromRDD(epoch.data(true), scala.reflect.ClassTag$.MODULE$.apply(
          TrainSample.class)).mapPartitions(it -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < perPartition; i++) {
              ids.add(it.next().id());
            }
            return ids.iterator();
          }).collect();
    } finally {
      sc.setLocalProperty(SeededDataSet.STEP, null);
    }
  }

  private static JavaRDD<TrainSample> samples(JavaSparkContext sc, int n, int partitions) {
    return sc.parallelize(IntStream.range(0, n).mapToObj(i -> new TrainSample("s" + i, i % 2, -1,
        1, 1, 1, new byte[] {(byte) i})).toList(), partitions);
  }

  @Test
  void anEpochVisitsEverySampleOnceInAnOrderThatDependsOnTheSeedAndEpochOnly(
      SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SliceSchedule schedule = SliceSchedule.of(8, 2, 42);
    SeededDataSet data = SeededDataSet.of(samples(sc, 32, 3), schedule);
    // the same samples arriving in other input partitions
    SeededDataSet again = SeededDataSet.of(samples(sc, 32, 5), schedule);
    try {
      List<String> epoch1 = new ArrayList<>();
      for (int step = 11; step <= 14; step++) {
        List<String> b = batch(sc, data.epoch(1, 11), step, 4);
        assertEquals(8, b.size());
        assertEquals(b, batch(sc, again.epoch(1, 11), step, 4), "step " + step);
        epoch1.addAll(b);
      }
      assertEquals(32, new HashSet<>(epoch1).size(), "4 steps of 8 visit all 32 once");
      assertNotEquals(epoch1.subList(0, 8), batch(sc, data.epoch(2, 15), 15, 4),
          "the next epoch visits them in another order");
      // a task failure reaches the driver as a SparkException carrying the task's message
      Exception e = assertThrows(Exception.class, () -> JavaRDD.fromRDD(
          data.epoch(1, 1).data(true), scala.reflect.ClassTag$.MODULE$.apply(TrainSample.class))
          .map(TrainSample::id).take(1), "no step set");
      assertTrue(e.getMessage().contains("without its optimiser step"), e.getMessage());
    } finally {
      data.unpersist();
      again.unpersist();
    }
  }
}
