package org.ttcspark.embed;

import com.typesafe.config.Config;
import java.util.List;
import org.ttcspark.config.ConfigReader;

/**
 * The {@code embed} section.
 *
 * @param views 1: the evaluation transform only (view 0); V &gt;= 2: V augmented views of every
 *     image drawn with the training recipe (for sample alignment metrics)
 * @param splits the splits to embed
 * @param checkpoint model file to embed with; empty = the run's newest checkpoint
 * @param output embeddings folder; empty = {@code <run folder>/embeddings}
 */
public record EmbedConfig(int views, List<String> splits, String checkpoint,
    String output) {

  public EmbedConfig {
    splits = List.copyOf(splits);
  }

  public static EmbedConfig from(Config config) {
    ConfigReader r = new ConfigReader(config);
    EmbedConfig c = new EmbedConfig(r.intIn("embed.views", 1, 64), r.strings("embed.splits"),
        r.string("embed.checkpoint"),
        r.string("embed.output"));
    for (String s : c.splits) {
      r.require(List.of("train", "val", "test").contains(s), "embed.splits",
          "has '" + s + "'; splits are train, val and test");
    }
    r.require(!c.splits.isEmpty(), "embed.splits", "must name at least one split");
    r.done();
    return c;
  }
}
