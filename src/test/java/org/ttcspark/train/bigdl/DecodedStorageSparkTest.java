package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.PreparedImages;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;

/**
 * Issue 18: the decoded slices both loss scopes train on are cached at a level that writes an
 * evicted block to the executor's disk, so a split larger than Spark's storage memory is read
 * back from there instead of being decoded again by every iteration (as {@code MEMORY_ONLY}
 * did).
 */
@ExtendWith(SparkTestSession.class)
class DecodedStorageSparkTest {

  private static void assertSpills(StorageLevel level, String what) {
    assertTrue(level.useMemory() && level.useDisk() && level.deserialized(),
        what + " is cached " + level.description() + ", not in memory spilling to disk");
  }

  private static RDDInfo cached(JavaSparkContext sc, int id) {
    for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
      if (info.id() == id) {
        return info;
      }
    }
    throw new AssertionError("RDD " + id + " is not in Spark's storage");
  }

  @Test
  void issue18LaidOutSlicesSpillToDiskInsteadOfBeingDecodedAgain(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<TrainSample> samples = sc.parallelize(IntStream.range(0, 8).mapToObj(i ->
        new TrainSample("s" + i, i % 2, -1, 3, 4, 4, new byte[48])).toList(), 3);
    SliceSchedule schedule = SliceSchedule.of(4, 2, 5);
    assertSpills(PreparedImages.CACHED, "every cached set of decoded samples");

    SeededDataSet local = SeededDataSet.of(samples, schedule);
    JavaRDD<GlobalStep.SliceData> global = GlobalStep.layout(sc, samples, schedule);
    try {
      local.cache();
      assertSpills(local.originRDD().getStorageLevel(), "local scope's slices");
      assertSpills(global.getStorageLevel(), "global scope's slices");
      for (int id : List.of(local.originRDD().id(), global.id())) {
        RDDInfo info = cached(sc, id);
        assertEquals(2, info.numCachedPartitions(), "both slices cached");
        assertTrue(info.memSize() > 8 * 48, "the 8 samples' bytes are in storage memory: "
            + info.memSize());
      }
    } finally {
      local.unpersist();
      global.unpersist(false);
    }
  }
}
