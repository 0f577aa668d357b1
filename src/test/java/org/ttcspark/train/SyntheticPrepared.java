package org.ttcspark.train;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ttcspark.data.Columns;

/**
 * Writes a tiny prepared dataset in the on-disk format of {@link Columns}: RGB PNGs whose class
 * shows as a bright band at the top (class 1) or the bottom (class 0), with noise.
 */
final class SyntheticPrepared {
  private SyntheticPrepared() {}

  static Path write(SparkSession spark, Path dir, int side, int perClass0, int perClass1,
      long seed) throws IOException {
    Random rng = new Random(seed);
    List<Row> rows = new ArrayList<>();
    int[] counts = {perClass0, perClass1};
    for (String split : List.of(Columns.TRAIN, Columns.VAL)) {
      for (int label = 0; label < 2; label++) {
        for (int i = 0; i < counts[label]; i++) {
          String id = split + "-" + label + "-" + i;
          rows.add(RowFactory.create(id, label, "class" + label, null, side, side, 3,
              png(side, label, rng), "synthetic", split));
        }
      }
    }
    StructType schema = new StructType()
        .add(Columns.ID, DataTypes.StringType).add(Columns.LABEL, DataTypes.IntegerType)
        .add(Columns.CLASS_NAME, DataTypes.StringType).add(Columns.SUBTYPE, DataTypes.IntegerType)
        .add(Columns.HEIGHT, DataTypes.IntegerType).add(Columns.WIDTH, DataTypes.IntegerType)
        .add(Columns.CHANNELS, DataTypes.IntegerType).add(Columns.IMAGE, DataTypes.BinaryType)
        .add(Columns.SOURCE, DataTypes.StringType).add(Columns.SPLIT, DataTypes.StringType);
    spark.createDataFrame(rows, schema).coalesce(1).write().partitionBy(Columns.SPLIT)
        .parquet(dir.toString());
    // Written with the data stage's own Manifest, so the tests read the format prepare writes.
    String manifest = new org.ttcspark.data.Manifest("synthetic", java.util.Map.of(), seed,
        java.util.Map.of("train", java.util.Map.of("0", (long) perClass0, "1", (long) perClass1)),
        java.util.List.of("a", "b"), side, side, 3, new double[] {0.4, 0.4, 0.4},
        new double[] {0.25, 0.25, 0.25}, java.util.List.of(), "2026-01-01T00:00:00Z", "test")
        .toJson();
    Files.writeString(dir.resolve(Columns.MANIFEST), manifest, StandardCharsets.UTF_8);
    return dir;
  }

  private static byte[] png(int side, int label, Random rng) throws IOException {
    BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      boolean band = label == 1 ? y < side / 3 : y >= 2 * side / 3;
      for (int x = 0; x < side; x++) {
        int base = band ? 200 : 60;
        int r = clamp(base + rng.nextInt(50) - 25);
        int g = clamp(base + rng.nextInt(50) - 25);
        int b = clamp((label == 1 ? 180 : 80) + rng.nextInt(40) - 20);
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
