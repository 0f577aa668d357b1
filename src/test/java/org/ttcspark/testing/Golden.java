package org.ttcspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden fixtures computed by the authors' reference code, copied into
 * {@code src/test/resources/golden}. Tests iterate over every file of a kind, so fixtures added
 * later are checked without code changes.
 */
public final class Golden {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Golden() {}

  /** The fixture folder (system property {@code ttc.golden.dir}, set by the build). */
  public static Path dir() {
    return Path.of(System.getProperty("ttc.golden.dir", "src/test/resources/golden"));
  }

  /** Every fixture file whose {@code kind} is one of {@code kinds}, sorted by name. */
  public static List<Path> files(String... kinds) {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir())) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".json") || name.equals("index.json")) {
          continue;
        }
        String kind = read(f).path("kind").asText();
        for (String k : kinds) {
          if (k.equals(kind)) {
            out.add(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Parses a fixture. */
  public static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON number or one of the strings "NaN", "Infinity", "-Infinity". */
  public static double number(JsonNode node) {
    if (node.isTextual()) {
      return Double.parseDouble(node.asText());
    }
    return node.asDouble();
  }

  /** A JSON array of numbers as doubles. */
  public static double[] vector(JsonNode node) {
    double[] out = new double[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(node.get(i));
    }
    return out;
  }

  /** A JSON matrix of numbers as doubles. */
  public static double[][] matrix(JsonNode node) {
    double[][] out = new double[node.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = vector(node.get(i));
    }
    return out;
  }
}
