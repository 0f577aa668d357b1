package org.ttcspark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ttcspark.config.ConfigLoader;
import org.ttcspark.config.ConfigProblems;

class DatasetConfigTest {

  private static DatasetConfig preset(String name, String... overrides) {
    return DatasetConfig.from(ConfigLoader.load(List.of(new File("conf/dataset/" + name
        + ".conf")), List.of(overrides)));
  }

  @Test
  void everyPresetLoadsWithAPath() {
    File[] presets = new File("conf/dataset").listFiles((d, n) -> n.endsWith(".conf"));
    assertTrue(presets.length >= 9);
    for (File f : presets) {
      DatasetConfig d = preset(f.getName().replace(".conf", ""), "dataset.path=/data/x");
      assertTrue(!d.prepared().isBlank(), f.getName());
    }
  }

  @Test
  void inat21PresetsCarryThePapersPrefixes() {
    assertEquals(List.of("Animalia_Chordata_Mammalia_Artiodactyla",
        "Animalia_Chordata_Mammalia_Carnivora"),
        preset("inat21-mammals", "dataset.path=/d").inat21().prefixes());
    assertEquals("Plantae_Tracheophyta_Magnoliopsida_Fagales_Fagaceae_Quercus",
        preset("inat21-plants", "dataset.path=/d").inat21().prefixes().get(0));
    assertEquals("Animalia_Arthropoda_Insecta_Hymenoptera_Vespidae",
        preset("inat21-insects", "dataset.path=/d").inat21().prefixes().get(1));
  }

  @Test
  void reportsEveryProblemAtOnce() {
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> DatasetConfig.from(
        ConfigLoader.load(List.of(), List.of("dataset.source=inat21", "dataset.ratios=[0.3]",
            "dataset.medmnist.size=32", "dataset.fracatlas.val-fraction=0.5"))));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("dataset.path"), all);
    assertTrue(all.contains("dataset.ratios"), all);
    assertTrue(all.contains("dataset.inat21.prefixes"), all);
    assertTrue(all.contains("28, 64, 128, 224"), all);
    assertTrue(all.contains("must sum to 1"), all);
  }

  @Test
  void prepareSectionHasTheDocumentedDefaults() {
    PrepareConfig p = PrepareConfig.from(ConfigLoader.load(List.of(), List.of()));
    assertEquals(0.01, p.maxBadFraction());
    assertEquals(false, p.overwrite());
  }

  @Test
  void fashionMnistGroupsTakeIndicesOrNamesAndRejectOverlapAndUnknownClasses() {
    DatasetConfig d = preset("fashion-mnist-tops-footwear");
    assertEquals(List.of(List.of(0, 2, 4, 6), List.of(5, 7, 9)), d.fashionMnist().groups());
    assertEquals(List.of("tops", "footwear"), d.fashionMnist().names());
    DatasetConfig named = preset("fashion-mnist-tops-footwear",
        "dataset.fashion-mnist.groups=[[\"ankle BOOT\", 7], [\"Bag\"]]",
        "dataset.fashion-mnist.group-names=[]");
    assertEquals(List.of(List.of(9, 7), List.of(8)), named.fashionMnist().groups());
    assertEquals(List.of("Ankle boot+Sneaker", "Bag"), named.fashionMnist().names());
    ConfigProblems e = assertThrows(ConfigProblems.class, () -> preset(
        "fashion-mnist-tops-footwear", "dataset.fashion-mnist.groups=[[0, 2], [2, \"hat\"]]"));
    assertTrue(e.getMessage().contains("names class 2 twice"), e.getMessage());
    assertTrue(e.getMessage().contains("names no Fashion-MNIST class with hat"), e.getMessage());
    e = assertThrows(ConfigProblems.class, () -> preset("fashion-mnist-tops-footwear",
        "dataset.fashion-mnist.groups=[[0]]"));
    assertTrue(e.getMessage().contains("must hold two disjoint non-empty lists"), e.getMessage());
  }
}
