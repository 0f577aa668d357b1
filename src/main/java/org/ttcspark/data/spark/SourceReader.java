package org.ttcspark.data.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One source format of {@code prepare}. {@link #plan} runs on the driver (listing may fan out to
 * executors) and checks the input; {@link #load} runs on executors. Implementations are
 * serializable and hold only their parameters.
 */
public interface SourceReader extends Serializable {

  /**
   * Lists every candidate image and checks the source, before any image is read.
   *
   * @throws IllegalArgumentException naming the input, the value and the fix, for any problem
   *     other than an undecodable image
   */
  Plan plan(JavaSparkContext spark, HadoopConf conf) throws IOException;

  /**
   * The encoded JPEG or PNG bytes of each candidate, in order; a candidate whose bytes cannot
   * be read comes back with an error instead.
   */
  Iterator<Loaded> load(Iterator<Candidate> candidates, Configuration conf);

  /**
   * What a source offers.
   *
   * @param train train candidates
   * @param val validation candidates, or null when they are held out of train
   * @param test test candidates
   * @param classNames label → name
   * @param skipped non-image files found while listing (named with the reason)
   */
  record Plan(List<Candidate> train, List<Candidate> val, List<Candidate> test,
      List<String> classNames, List<String> skipped) {}

  /** A candidate's encoded bytes, or the reason it has none (bytes null). */
  record Loaded(Candidate candidate, byte[] bytes, String error) {}
}
