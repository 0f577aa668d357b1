package org.ttcspark.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.ttcspark.data.npy.Npy;
import org.ttcspark.data.npy.NpyArray;

/**
 * Test-data generators in the real on-disk formats of the sources, on any Hadoop path: image
 * files, iNat21-like category trees, MedMNIST {@code .npz} archives (byte for byte as
 * {@code numpy.savez} writes them), FracAtlas trees with their CSV and ImageFolder trees.
 */
public final class SourceFiles {
  private SourceFiles() {}

  /** Random 8-bit pixels [h, w, c] from a seeded generator. */
  public static byte[] pixels(long seed, int h, int w, int c) {
    byte[] px = new byte[h * w * c];
    new Random(seed).nextBytes(px);
    return px;
  }

  /** Writes bytes to a Hadoop path (parents created). */
  public static void write(Path path, Configuration conf, byte[] bytes) throws IOException {
    try (FSDataOutputStream out = path.getFileSystem(conf).create(path, true)) {
      out.write(bytes);
    }
  }

  /**
   * An iNat21-like tree: {@code train/} and {@code val/} with one folder per category
   * ({@code %05d_<taxon>}), {@code perCategory[split]} images each, PNG for even and JPEG for
   * odd image numbers, gray for categories of odd index. The pixels of image k of category i in
   * split s come from seed {@code s * 1_000_000 + i * 1000 + k}.
   */
  public static void inat21(Path root, Configuration conf, String[] taxa, int[] perCategory,
      int size) throws IOException {
    String[] splits = {"train", "val"};
    for (int s = 0; s < 2; s++) {
      for (int i = 0; i < taxa.length; i++) {
        Path dir = new Path(new Path(root, splits[s]), String.format("%05d_%s", i, taxa[i]));
        int channels = i % 2 == 1 ? 1 : 3;
        for (int k = 0; k < perCategory[s]; k++) {
          byte[] px = pixels(s * 1_000_000L + i * 1000L + k, size, size, channels);
          boolean png = k % 2 == 0;
          write(new Path(dir, k + (png ? ".png" : ".jpg")), conf, png
              ? Images.encodePng(px, size, size, channels)
              : Images.encodeJpeg(px, size, size, channels, 0.9f));
        }
      }
    }
  }

  /**
   * An ImageFolder tree {@code root/<split>/<class>/<k>.png} with {@code counts[split][class]}
   * RGB PNGs; pixels of image k of class c in split s from seed {@code s * 10_000 + c * 1000 + k}.
   */
  public static void imageFolder(Path root, Configuration conf, String[] splits,
      String[] classes, int[][] counts, int size) throws IOException {
    for (int s = 0; s < splits.length; s++) {
      for (int c = 0; c < classes.length; c++) {
        for (int k = 0; k < counts[s][c]; k++) {
          byte[] px = pixels(s * 10_000L + c * 1000L + k, size, size, 3);
          write(new Path(new Path(new Path(root, splits[s]), classes[c]), k + ".png"), conf,
              Images.encodePng(px, size, size, 3));
        }
      }
    }
  }

  /**
   * A FracAtlas tree: {@code images/Fractured/IMG%07d.jpg}, {@code images/Non_fractured/...}
   * (PNG bytes under the .jpg name are fine for ImageIO) and {@code dataset.csv} with the
   * FracAtlas columns. Image k is fractured when k < fractured; pixels from seed k.
   */
  public static void fracatlas(Path root, Configuration conf, int fractured, int total, int size)
      throws IOException {
    StringBuilder csv = new StringBuilder(
        "image_id,hand,leg,hip,shoulder,mixed,hardware,multiscan,fractured,fracture_count,"
            + "frontal,lateral,oblique\n");
    for (int k = 0; k < total; k++) {
      String name = String.format("IMG%07d.jpg", k);
      int label = k < fractured ? 1 : 0;
      csv.append(name).append(",1,0,0,0,0,0,0,").append(label).append(',').append(label)
          .append(",1,0,0\n");
      byte[] px = pixels(k, size, size, 1);
      write(new Path(new Path(new Path(root, "images"), label == 1 ? "Fractured"
          : "Non_fractured"), name), conf, Images.encodePng(px, size, size, 1));
    }
    write(new Path(root, "dataset.csv"), conf, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A MedMNIST-like archive: for each split n[split] uint8 images of {@code size} (RGB when
   * {@code rgb}) from seed {@code split index}, and labels [n, columns] (int64) from
   * {@code labels}.
   */
  public static Map<String, NpyArray> medmnist(int[] n, int size, boolean rgb,
      java.util.function.IntBinaryOperator labels, int columns) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    String[] splits = {"train", "val", "test"};
    for (int s = 0; s < 3; s++) {
      int[] shape = rgb ? new int[] {n[s], size, size, 3} : new int[] {n[s], size, size};
      arrays.put(splits[s] + "_images", new NpyArray(splits[s] + "_images",
          NpyArray.DType.UINT8, shape, pixels(s, n[s], size * size, rgb ? 3 : 1)));
      ByteBuffer b = ByteBuffer.allocate(n[s] * columns * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n[s] * columns; i++) {
        b.putLong(labels.applyAsInt(s, i));
      }
      arrays.put(splits[s] + "_labels", new NpyArray(splits[s] + "_labels",
          NpyArray.DType.INT64, new int[] {n[s], columns}, b.array()));
    }
    return arrays;
  }

  /**
   * The bytes {@code numpy.savez(f, **arrays)} writes: a zip of uncompressed {@code name.npy}
   * members whose local headers carry a ZIP64 extra field (savez forces ZIP64) with time
   * 1980-01-01 00:00, and a plain central directory with mode 0600.
   */
  public static byte[] npz(Map<String, NpyArray> arrays) throws IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    ByteArrayOutputStream central = new ByteArrayOutputStream();
    for (NpyArray a : arrays.values()) {
      ByteArrayOutputStream npy = new ByteArrayOutputStream();
      Npy.write(npy, a);
      byte[] data = npy.toByteArray();
      byte[] name = (a.name() + ".npy").getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(data);
      int offset = zip.size();
      ByteBuffer local = le(30 + name.length + 20);
      local.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue())
          .putInt(-1).putInt(-1).putShort((short) name.length).putShort((short) 20).put(name)
          .putShort((short) 1).putShort((short) 16).putLong(data.length).putLong(data.length);
      zip.write(local.array());
      zip.write(data);
      ByteBuffer entry = le(46 + name.length);
      entry.putInt(0x02014b50).putShort((short) 0x032d).putShort((short) 45)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0x21)
          .putInt((int) crc.getValue()).putInt(data.length).putInt(data.length)
          .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
          .putShort((short) 0).putShort((short) 0).putInt(0x01800000).putInt(offset).put(name);
      central.write(entry.array());
    }
    int centralOffset = zip.size();
    zip.write(central.toByteArray());
    ByteBuffer end = le(22);
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
        .putShort((short) arrays.size()).putShort((short) arrays.size())
        .putInt(central.size()).putInt(centralOffset).putShort((short) 0);
    zip.write(end.array());
    return zip.toByteArray();
  }

  /** Writes {@link #npz} to a Hadoop path. */
  public static void writeNpz(Path path, Configuration conf, Map<String, NpyArray> arrays)
      throws IOException {
    write(path, conf, npz(arrays));
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
