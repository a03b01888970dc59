package dev.llmrouter.logging;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * How the log keeps an embeddings answer ({@link BodyShape#EMBEDDINGS}): every field as it came,
 * each vector replaced by its size. The vectors are stepped over, never decoded, so an answer of
 * any size within {@code server.max_response_bytes} costs the writer its few short fields per
 * input.
 */
final class EmbeddingsElision {

  private EmbeddingsElision() {}

  /**
   * Copies the {@code data} array of an embeddings list (the parser on its start), each item's
   * {@code embedding} replaced by a string that says what it was: {@code "<not logged: 8192
   * characters of base64>"} (the SDKs' default {@code encoding_format}) or {@code "<not logged:
   * 1536 numbers>"}.
   */
  static void copyData(JsonGenerator g, JsonParser p, byte[] body) {
    g.writeStartArray();
    JsonToken item;
    while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
      if (item == JsonToken.START_OBJECT) {
        copyItem(g, p, body);
      } else {
        g.copyCurrentStructure(p);
      }
    }
    g.writeEndArray();
  }

  /** One item of {@code data} (the parser on its start), which it leaves on the item's end. */
  private static void copyItem(JsonGenerator g, JsonParser p, byte[] body) {
    g.writeStartObject();
    JsonToken t = p.nextToken();
    while (t == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      g.writeName(name);
      JsonToken value = p.nextToken();
      boolean vector = "embedding".equals(name);
      if (vector && value == JsonToken.VALUE_STRING) {
        int open = (int) p.currentTokenLocation().getByteOffset();
        t = p.nextToken(); // steps over the string without decoding it
        int after = (int) p.currentTokenLocation().getByteOffset();
        g.writeString("<not logged: " + rawLength(body, open, after) + " characters of base64>");
        continue; // already on the next token
      }
      if (vector && value == JsonToken.START_ARRAY) {
        g.writeString("<not logged: " + count(p) + " numbers>");
      } else {
        g.copyCurrentStructure(p);
      }
      t = p.nextToken();
    }
    g.writeEndObject();
  }

  /**
   * The bytes between a string's quotes, from where it opens and where the next token starts: back
   * from there over space and a comma to the closing quote. The parser's token offsets are exact
   * (its locations count bytes), so the string is measured without being decoded.
   */
  private static int rawLength(byte[] body, int open, int nextToken) {
    int close = nextToken - 1;
    while (close > open && body[close] != '"') {
      close--; // space, a comma
    }
    return close - open - 1;
  }

  /** The values of the array the parser is on, which it leaves on the array's end. */
  private static int count(JsonParser p) {
    int n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t.isStructStart()) {
        p.skipChildren();
      }
      n++;
    }
    return n;
  }
}
