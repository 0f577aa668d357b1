package org.ttcspark.metrics.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A scatter plot of 2-D projected embeddings coloured by class (blue = 0, orange = 1), with
 * lighter or darker shades per sub-type when one is given, drawn with Java2D (headless) for
 * the run report. Minority points are drawn last so that a collapsed majority cannot hide
 * them.
 */
public final class EmbeddingPlot {
  /** Colour of class 0 (sub-type 0) and class 1 (sub-type 0), RGB. */
  public static final Color CLASS0 = new Color(0x1f77b4);
  public static final Color CLASS1 = new Color(0xff7f0e);

  private EmbeddingPlot() {}

  /**
   * Renders the points.
   *
   * @param xy {@code [n, 2]} projected coordinates
   * @param labels {@code [n]} 0/1
   * @param subtypes {@code [n]} sub-types (small non-negative ints), or null
   * @param size width and height in pixels
   * @param title caption drawn at the top
   */
  public static BufferedImage render(double[][] xy, int[] labels, int[] subtypes, int size,
      String title) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, size, size);
      int margin = Math.max(8, size / 16);
      double[] box = bounds(xy);
      double scale = (size - 2.0 * margin) / Math.max(box[2] - box[0], box[3] - box[1]);
      int r = Math.max(2, size / 200);
      for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < xy.length; i++) {
          if (labels[i] != pass) {
            continue;
          }
          g.setColor(colour(labels[i], subtypes == null ? 0 : subtypes[i]));
          int px = (int) Math.round(margin + (xy[i][0] - box[0]) * scale);
          int py = (int) Math.round(size - margin - (xy[i][1] - box[1]) * scale);
          g.fillOval(px - r, py - r, 2 * r, 2 * r);
        }
      }
      g.setColor(Color.DARK_GRAY);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(margin / 2, margin / 2, size - margin, size - margin);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, size / 50)));
      g.drawString(title, margin, Math.max(12, margin / 2 - 2 + size / 50));
    } finally {
      g.dispose();
    }
    return img;
  }

  /** The image as PNG bytes. */
  public static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The class colour, darkened a step per sub-type. */
  static Color colour(int label, int subtype) {
    Color base = label == 0 ? CLASS0 : CLASS1;
    float factor = (float) Math.pow(0.75, Math.floorMod(subtype, 4));
    return new Color(Math.round(base.getRed() * factor), Math.round(base.getGreen() * factor),
        Math.round(base.getBlue() * factor));
  }

  /** {min x, min y, max x, max y}, padded so a single point or a line still has extent. */
  private static double[] bounds(double[][] xy) {
    double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
    for (double[] p : xy) {
      b[0] = Math.min(b[0], p[0]);
      b[1] = Math.min(b[1], p[1]);
      b[2] = Math.max(b[2], p[0]);
      b[3] = Math.max(b[3], p[1]);
    }
    if (xy.length == 0) {
      return new double[] {-1, -1, 1, 1};
    }
    double pad = Math.max(1e-9, Math.max(b[2] - b[0], b[3] - b[1]) * 0.02);
    return new double[] {b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad};
  }
}
