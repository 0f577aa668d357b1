package org.ttcspark.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {

  private static Idx.Array read(byte[] file, int magic, boolean withBytes) throws IOException {
    return Idx.read(Idx.maybeGunzip(new ByteArrayInputStream(file)), "f", magic, withBytes);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsImagesPlainOrGzipped(boolean gzip) throws IOException {
    byte[] data = IdxFiles.images(3, 4);
    Idx.Array a = read(IdxFiles.idx(Idx.IMAGES_MAGIC, new int[] {3, 4, 4}, data, gzip),
        Idx.IMAGES_MAGIC, true);
    assertArrayEquals(new int[] {3, 4, 4}, a.shape());
    assertEquals(3, a.count());
    assertEquals(16, a.itemBytes());
    assertArrayEquals(data, a.bytes());
  }

  @Test
  void readsLabelsAndHeaderOnly() throws IOException {
    byte[] file = IdxFiles.idx(Idx.LABELS_MAGIC, new int[] {5}, new byte[] {9, 0, 1, 2, 3},
        true);
    assertArrayEquals(new byte[] {9, 0, 1, 2, 3}, read(file, Idx.LABELS_MAGIC, true).bytes());
    Idx.Array header = read(file, Idx.LABELS_MAGIC, false);
    assertEquals(5, header.count());
    assertNull(header.bytes());
  }

  @Test
  void rejectsWrongMagicNamingFileAndBothNumbers() throws IOException {
    byte[] labels = IdxFiles.idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Idx.read(new ByteArrayInputStream(labels), "train-images-idx3-ubyte",
            Idx.IMAGES_MAGIC, true));
    assertTrue(e.getMessage().startsWith("train-images-idx3-ubyte has magic number 0x00000801 "
        + "but an IDX images file has 0x00000803"), e.getMessage());
  }

  @Test
  void rejectsTruncatedDataAndHeader() throws IOException {
    byte[] file = IdxFiles.idx(Idx.IMAGES_MAGIC, new int[] {3, 4, 4}, IdxFiles.images(3, 4),
        false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(Arrays.copyOf(file, file.length - 1), Idx.IMAGES_MAGIC, true));
    assertTrue(e.getMessage().contains("declares 48 bytes of data but ends before them"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> read(Arrays.copyOf(file, 9), Idx.IMAGES_MAGIC, true));
    assertTrue(e.getMessage().contains("ends inside its IDX header"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> read(new byte[0], Idx.IMAGES_MAGIC, true));
    assertTrue(e.getMessage().contains("f is empty"), e.getMessage());
  }
}
