package org.ttcspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SubclassCentresTest {
  // class 0: one centre; class 1: three centres along the axes (not unit length on purpose)
  private final SubclassCentres centres = new SubclassCentres(3, new float[][] {
      {0, 0, 5}, {2, 0, 0, 0, 3, 0, 0, 0, -1}});

  @Test
  void idsOfTheClassesFollowEachOtherAndNeverOverlap() {
    assertEquals(0, centres.offset(0));
    assertEquals(1, centres.offset(1));
    assertEquals(1, centres.count(0));
    assertEquals(3, centres.count(1));
    assertEquals(0, centres.assign(0, new float[] {1, 0, 0}));
  }

  @Test
  void assignsTheCentreOfLargestCosineWithinTheSampleClass() {
    assertEquals(1, centres.assign(1, new float[] {0.9f, 0.1f, 0}));
    assertEquals(2, centres.assign(1, new float[] {0.1f, 0.9f, 0}));
    assertEquals(3, centres.assign(1, new float[] {0, 0, -0.2f}));
    // the raw dot product would pick the long centre 1; the cosine picks centre 3
    assertEquals(3, centres.assign(1, new float[] {0.3f, 0, -1}));
  }

  @Test
  void centresAreKeptAsUnitDirections() {
    assertArrayEquals(new float[] {0, 1, 0}, centres.centre(1, 1), 1e-7f);
  }

  @Test
  void rejectsZeroCentresAndWrongDimensions() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> new SubclassCentres(2, new float[][] {{0, 0}}));
    assertTrue(zero.getMessage().contains("class 0") && zero.getMessage().contains("norm"),
        zero.getMessage());
    IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
        () -> centres.assign(1, new float[] {1, 0}));
    assertTrue(dim.getMessage().contains("2-d"), dim.getMessage());
    assertThrows(IllegalArgumentException.class, () -> centres.assign(2, new float[3]));
  }
}
