package org.ttcspark.metrics.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class EmbeddingPlotTest {

  @Test
  void pngDecodesAndShowsBothClassColours() throws Exception {
    double[][] xy = {{0, 0}, {1, 1}, {0.2, 0.1}, {5, 5}};
    int[] labels = {0, 0, 0, 1};
    byte[] png = EmbeddingPlot.png(EmbeddingPlot.render(xy, labels, null, 200, "test"));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(200, img.getWidth());
    assertEquals(200, img.getHeight());
    assertTrue(count(img, EmbeddingPlot.CLASS0.getRGB()) > 0, "class 0 pixels");
    assertTrue(count(img, EmbeddingPlot.CLASS1.getRGB()) > 0, "class 1 pixels");
  }

  @Test
  void subtypesGetDarkerShadesOfTheClassColour() {
    assertEquals(EmbeddingPlot.CLASS1, EmbeddingPlot.colour(1, 0));
    assertTrue(EmbeddingPlot.colour(1, 1).getRed() < EmbeddingPlot.CLASS1.getRed());
  }

  private static int count(BufferedImage img, int rgb) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += (img.getRGB(x, y) | 0xFF000000) == (rgb | 0xFF000000) ? 1 : 0;
      }
    }
    return n;
  }
}
