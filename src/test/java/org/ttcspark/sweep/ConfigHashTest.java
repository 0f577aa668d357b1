package org.ttcspark.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;

class ConfigHashTest {
  private static final Config REFERENCE = ConfigLoader.reference();
  private static final Set<String> RETIRED = ConfigLoader.retiredKeys();

  private static Config planned(String... overrides) {
    return ConfigLoader.load(List.of(), List.of(overrides));
  }

  /** The configuration as a run folder's config.conf holds it, read back from text. */
  private static Config stored(Config c) {
    return ConfigFactory.parseString(c.root().render(ConfigRenderOptions.defaults()));
  }

  @Test
  void aSettingAddedSinceAtItsDefaultExplainsANewFingerprint() {
    Config now = planned("train.epochs=7", "train.learning-rate=0.25");
    Config earlier = stored(now).withoutPath("dataset.limit");
    assertNotEquals(ConfigHash.of(earlier), ConfigHash.of(now), "the fingerprint moved");
    assertEquals(List.of(), ConfigHash.unexplainedDifferences(earlier, now, REFERENCE, RETIRED));
  }

  @Test
  void prefetchingViewsDoesNotChangeTheFingerprint() {
    // the same views are drawn, only earlier: finished runs are not redone for it
    assertEquals(ConfigHash.of(planned("train.prefetch-views=false")),
        ConfigHash.of(planned("train.prefetch-views=true")));
    assertEquals(ConfigHash.of(planned("train.prefetch-views=false")),
        ConfigHash.of(stored(planned()).withoutPath("train.prefetch-views")));
  }

  @Test
  void aChangedSettingOrANewSettingAwayFromItsDefaultIsADifference() {
    Config now = planned("train.epochs=7", "dataset.limit.train=3000");
    Config earlier = stored(planned("train.epochs=8")).withoutPath("dataset.limit");
    List<String> d = ConfigHash.unexplainedDifferences(earlier, now, REFERENCE, RETIRED);
    assertEquals(2, d.size(), d.toString());
    assertEquals("dataset.limit.train = 3000 planned, absent from the finished run (default 0)",
        d.get(0));
    assertEquals("train.epochs = 8 in the finished run, 7 planned", d.get(1));
  }

  @Test
  void retiredKeysLocationsAndWhereToRunAreNoDifference() {
    Config now = planned("run.name=b", "engine.type=mklblas", "dataset.prepared=/data/new");
    Config earlier = stored(planned("run.name=a", "dataset.prepared=/data/old"))
        .withFallback(ConfigFactory.parseString("embed.batch-size = 64"));
    assertEquals(List.of(), ConfigHash.unexplainedDifferences(earlier, now, REFERENCE, RETIRED));
    Config unknown = earlier.withFallback(ConfigFactory.parseString("loss.gone = 1"));
    List<String> d = ConfigHash.unexplainedDifferences(unknown, now, REFERENCE, RETIRED);
    assertEquals(List.of("loss.gone = 1 in the finished run, absent from the plan"), d);
  }

  @Test
  void numbersCompareByValueAcrossTheirWrittenForms() {
    Config now = planned("train.learning-rate=0.5");
    Config earlier = stored(now).withFallback(ConfigFactory.empty())
        .withValue("train.learning-rate", ConfigFactory.parseString("x = 5e-1").getValue("x"));
    assertTrue(ConfigHash.unexplainedDifferences(earlier, now, REFERENCE, RETIRED).isEmpty());
  }

  @Test
  void benchSettingsDoNotDecideAResult() {
    assertEquals(ConfigHash.of(planned()), ConfigHash.of(planned("train.bench.iterations=3",
        "prepare.bench-size=32")));
    assertNotEquals(ConfigHash.of(planned()), ConfigHash.of(planned("train.epochs=3")));
  }
}
