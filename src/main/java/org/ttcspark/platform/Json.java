package org.ttcspark.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON for the small files ttc-spark writes (manifests, results, provenance), with Jackson as
 * Spark ships it. One shared, thread-safe mapper with stable, indented output.
 */
public final class Json {
  /** The mapper: indented, map keys in insertion order as given. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** The value as indented JSON text with a trailing newline. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass() + " as JSON", e);
    }
  }
}
