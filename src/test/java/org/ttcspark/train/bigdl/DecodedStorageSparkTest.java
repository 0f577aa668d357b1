package org.ttcspark.train.bigdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.RDDInfo;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ttcspark.testing.SparkTestSession;
import org.ttcspark.train.PreparedImages;
import org.ttcspark.train.SliceSchedule;
import org.ttcspark.train.TrainSample;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction0;

/**
 * Issue 18: every cached set of decoded samples (a split as read, its slices in both loss
 * scopes) is kept at a level that writes an evicted block to the executor's disk. With
 * {@code MEMORY_ONLY} an evicted block was dropped: a split as read was decoded again by the
 * next job reading it (a val split at every validation, SBCL's relabelling, a new layout), and
 * a slice was rebuilt from the layout's shuffle files, fetched from every executor.
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

  /**
   * What the memory store does to a block when it needs the space for another (Spark's
   * {@code BlockManager.dropFromMemory}): keep it on disk if its level says so, else drop it.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void evict(JavaRDD<?> rdd) {
    BlockManager bm = SparkEnv.get().blockManager();
    for (int p = 0; p < rdd.getNumPartitions(); p++) {
      RDDBlockId id = new RDDBlockId(rdd.id(), p);
      scala.collection.Iterator<?> it = bm.memoryStore().getValues(id).get();
      List<Object> values = new ArrayList<>();
      while (it.hasNext()) {
        values.add(it.next());
      }
      Object left = scala.util.Left.apply(values.toArray());
      bm.blockInfoManager().lockForWriting(id, true); // as the memory store locks it to evict
      StorageLevel kept = bm.dropFromMemory(id, new AbstractFunction0() {
        @Override
        public Object apply() {
          return left;
        }
      }, ClassTag$.MODULE$.Any());
      if (kept.isValid()) {
        bm.blockInfoManager().unlock(id, scala.Option.empty());
      } else {
        bm.blockInfoManager().removeBlock(id);
      }
      assertFalse(bm.memoryStore().contains(id), "block " + id + " still in memory");
    }
  }

  @Test
  void issue18AnEvictedBlockOfTheDecodedSplitIsReadBackNotDecodedAgain(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator decodes = sc.sc().longAccumulator("issue-18 decodes");
    JavaRDD<Integer> ids = sc.parallelize(IntStream.range(0, 8).boxed().toList(), 2);
    for (StorageLevel level : List.of(PreparedImages.CACHED, StorageLevel.MEMORY_ONLY())) {
      JavaRDD<TrainSample> split = ids.map(i -> {
        decodes.add(1);
        return new TrainSample("s" + i, i % 2, -1, 1, 2, 2, new byte[] {1, 2, 3, (byte) (int) i});
      }).persist(level);
      try {
        split.count();
        long decoded = decodes.value();
        evict(split);
        List<Integer> read = split.map(s -> s.pixels()[3] & 0xff).collect();
        assertEquals(IntStream.range(0, 8).boxed().toList(), read, "the samples read back");
        assertEquals(level == PreparedImages.CACHED ? 0 : 8, decodes.value() - decoded,
            "decoded again after eviction, cached " + level.description());
      } finally {
        split.unpersist(true);
      }
    }
  }
}
