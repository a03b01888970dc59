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

  /**
   * The first {@code max} characters of {@code text} (all of it when shorter), one fewer when the
   * cut would split a surrogate pair: a lone surrogate is no Unicode text, and strict JSON parsers
   * refuse the {@code \\uD83D} it is written as. For every message that quotes a client's or an
   * upstream's text cut short.
   */
  public static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, Math.max(0, end));
  }
}
