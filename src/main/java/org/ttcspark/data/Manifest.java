package org.ttcspark.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ttcspark.platform.Json;

/**
 * The {@code manifest.json} of a prepared dataset (layout in {@link Columns}).
 *
 * @param source the source word, e.g. "inat21"
 * @param parameters the resolved {@code dataset} and {@code prepare} sections
 * @param seed the run seed every sampling choice derived from
 * @param counts split → label (as a string) → rows
 * @param classNames label → the source's class name
 * @param height common image height in pixels over every split, or -1 when images differ
 * @param width common image width in pixels, or -1 when images differ
 * @param channels 1 when every image of every split is gray, else 3
 * @param mean per-channel mean of the train split, pixels in [0, 1]
 * @param std per-channel standard deviation of the train split
 * @param badRecords skipped inputs, "name: reason"
 * @param created ISO-8601 time of writing
 * @param ttcVersion version of the writer
 */
public record Manifest(String source, Map<String, Object> parameters, long seed,
    Map<String, Map<String, Long>> counts, List<String> classNames, int height, int width,
    int channels, double[] mean, double[] std, List<String> badRecords, String created,
    String ttcVersion) {

  /** The manifest format written by this version. */
  public static final String FORMAT = "ttc-prepared/1";

  /** {@link #mean} as float32, as the normalisation of views uses it. */
  public float[] meanFloats() {
    return toFloats(mean);
  }

  /** {@link #std} as float32, as the normalisation of views uses it. */
  public float[] stdFloats() {
    return toFloats(std);
  }

  private static float[] toFloats(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /** Rows of a split (0 for a split without rows). */
  public long count(String split) {
    return counts.getOrDefault(split, Map.of()).values().stream().mapToLong(Long::longValue)
        .sum();
  }

  /** Rows of a split and label. */
  public long count(String split, int label) {
    return counts.getOrDefault(split, Map.of()).getOrDefault(Integer.toString(label), 0L);
  }

  /** The JSON text. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("source", source);
    m.put("parameters", parameters);
    m.put("seed", seed);
    m.put("counts", counts);
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < classNames.size(); i++) {
      names.put(Integer.toString(i), classNames.get(i));
    }
    m.put("class_names", names);
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("height", height < 0 ? null : height);
    image.put("width", width < 0 ? null : width);
    image.put("channels", channels);
    m.put("image", image);
    m.put("mean", mean);
    m.put("std", std);
    m.put("bad_records", badRecords);
    m.put("created", created);
    m.put("ttc_version", ttcVersion);
    return Json.write(m);
  }

  /**
   * Parses manifest JSON.
   *
   * @throws IllegalStateException for a file that is not a ttc-prepared/1 manifest
   */
  @SuppressWarnings("unchecked")
  public static Manifest parse(String json, String name) {
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (!FORMAT.equals(n.path("format").asText())) {
        throw new IllegalStateException(name + " is not a " + FORMAT + " manifest (format "
            + n.path("format") + "); prepare the dataset again with this version");
      }
      Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
      n.get("counts").fields().forEachRemaining(split -> {
        Map<String, Long> byLabel = new LinkedHashMap<>();
        split.getValue().fields().forEachRemaining(l -> byLabel.put(l.getKey(), l.getValue()
            .asLong()));
        counts.put(split.getKey(), byLabel);
      });
      List<String> names = new ArrayList<>();
      n.get("class_names").forEach(v -> names.add(v.asText()));
      List<String> bad = new ArrayList<>();
      n.get("bad_records").forEach(v -> bad.add(v.asText()));
      JsonNode image = n.get("image");
      return new Manifest(n.get("source").asText(),
          Json.MAPPER.convertValue(n.get("parameters"), Map.class), n.get("seed").asLong(),
          counts, names, image.path("height").asInt(-1), image.path("width").asInt(-1),
          image.get("channels").asInt(), doubles(n.get("mean")), doubles(n.get("std")), bad,
          n.get("created").asText(), n.get("ttc_version").asText());
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(name + " is not a valid manifest: " + e, e);
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
