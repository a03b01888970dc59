package dev.llmrouter.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/** The one configured Jackson mapper and stream factory of the router, reused everywhere. */
public final class Json {
  /** Thread-safe and immutable; use it (or readers/writers derived from it) for every tree. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** For streaming reads on the request path, where building a tree would cost too much. */
  public static final JsonFactory FACTORY = MAPPER.tokenStreamFactory();

  private Json() {}

  public static JsonParser parser(byte[] bytes) {
    return FACTORY.createParser(ObjectReadContext.empty(), bytes);
  }

  /**
   * Whether the bytes are exactly one complete JSON value. Walks tokens without building a tree: a
   * cheap check that an upstream's 200 body is not cut short or garbage.
   */
  public static boolean isWellFormed(byte[] bytes) {
    return isOneValue(bytes, false);
  }

  /** Whether the bytes are exactly one complete JSON object, checked as {@link #isWellFormed}. */
  public static boolean isOneObject(byte[] bytes) {
    return isOneValue(bytes, true);
  }

  private static boolean isOneValue(byte[] bytes, boolean objectOnly) {
    try (JsonParser p = parser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == null || (objectOnly && first != JsonToken.START_OBJECT)) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (JacksonException e) {
      return false;
    }
  }
}
