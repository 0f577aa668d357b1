package org.ttcspark.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationsTest {

  @Test
  void normalizeSubtractsTheMeanAndDividesByTheStdPerChannel() {
    Image img = new Image(3, 1, 2, new float[] {0.5f, 1f, 0.2f, 0.4f, 0f, 0.9f});
    float[] out = Augmentations.normalize(img, new float[] {0.5f, 0.2f, 0.3f},
        new float[] {0.25f, 0.1f, 0.5f});
    assertArrayEquals(new float[] {0f, 2f, 0f, 2f, -0.6f, 1.2f}, out, 1e-6f);
  }

  @Test
  void normalizeIntoFillsABatchAtAnOffset() {
    Image img = new Image(1, 1, 2, new float[] {0.3f, 0.7f});
    float[] batch = new float[5];
    Augmentations.normalizeInto(img, new float[] {0.5f}, new float[] {0.2f}, batch, 2);
    assertArrayEquals(new float[] {0f, 0f, -1f, 1f, 0f}, batch, 1e-6f);
    var e = assertThrows(IllegalArgumentException.class, () -> Augmentations.normalizeInto(
        img, new float[] {0.5f}, new float[] {0.2f}, batch, 4));
    assertTrue(e.getMessage().contains("offset 4"), e.getMessage());
  }

  @Test
  void normalizeRejectsMeanAndStdOfTheWrongLength() {
    Image img = new Image(3, 1, 1, new float[3]);
    var e = assertThrows(IllegalArgumentException.class,
        () -> Augmentations.normalize(img, new float[] {0.5f}, new float[] {0.2f}));
    assertTrue(e.getMessage().contains("mean has 1 and std has 1 values but the image has 3"),
        e.getMessage());
  }

  @Test
  void normalizeRejectsAZeroStd() {
    Image img = new Image(1, 1, 1, new float[1]);
    var e = assertThrows(IllegalArgumentException.class,
        () -> Augmentations.normalize(img, new float[] {0.5f}, new float[] {0f}));
    assertTrue(e.getMessage().contains("std must be a finite number above 0"), e.getMessage());
  }

  @Test
  void viewSeedIsDeterministicAndDependsOnEveryArgument() {
    long base = Augmentations.viewSeed(42, 3, 1234, 0);
    assertEquals(base, Augmentations.viewSeed(42, 3, 1234, 0));
    long[] changed = {Augmentations.viewSeed(43, 3, 1234, 0),
        Augmentations.viewSeed(42, 4, 1234, 0), Augmentations.viewSeed(42, 3, 1235, 0),
        Augmentations.viewSeed(42, 3, 1234, 1)};
    for (long c : changed) {
      int bits = Long.bitCount(base ^ c);
      assertTrue(bits > 16 && bits < 48, "only " + bits + " bits changed");
    }
  }

  @Test
  void viewSeedsDoNotCollideOverAGridOfRunsEpochsSamplesAndViews() {
    Set<Long> seen = new HashSet<>();
    int n = 0;
    for (long run = 0; run < 4; run++) {
      for (int epoch = 0; epoch < 50; epoch++) {
        for (long sample = 0; sample < 500; sample++) {
          for (int view = 0; view < 2; view++) {
            seen.add(Augmentations.viewSeed(run, epoch, sample, view));
            n++;
          }
        }
      }
    }
    assertEquals(n, seen.size());
  }

  @Test
  void sampleKeyIsStableAndSeparatesStringHashCodeCollisions() {
    assertEquals("Aa".hashCode(), "BB".hashCode());
    assertNotEquals(Augmentations.sampleKey("Aa"), Augmentations.sampleKey("BB"));
    // Fixed forever: changing the hash would change every view of every run. Reference:
    //   M = (1 << 64) - 1; h = 0xCBF29CE484222325
    //   for b in 'train/00042.png'.encode(): h = ((h ^ b) * 0x100000001B3) & M
    //   z = ((h ^ (h >> 30)) * 0xBF58476D1CE4E5B9) & M
    //   z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M; z ^= z >> 31
    assertEquals(0xab581d56f445181eL, Augmentations.sampleKey("train/00042.png"));
  }

  @Test
  void sampleKeyRejectsNull() {
    var e = assertThrows(IllegalArgumentException.class, () -> Augmentations.sampleKey(null));
    assertTrue(e.getMessage().contains("sample id is null"), e.getMessage());
  }
}
