package dev.llmrouter.logging;

import dev.llmrouter.json.Json;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What the log line needs of a JSON object answer, found in one parser pass: where its top-level
 * {@code usage} object lies ({@code usageStart} -1 when it has none; {@code usageTree} instead,
 * when the parser can give no byte offsets) and its token {@code counts}, and whether the answer is
 * on one line. The parser counts lines as it goes, and a JSON text can hold a raw CR or LF only as
 * space between tokens, so the line count answers the second question without a pass of its own
 * over an answer that may be 8 KB of embeddings.
 */
record AnswerScan(
    int usageStart, int usageEnd, UsageTokens.Counts counts, JsonNode usageTree, boolean oneLine) {

  /**
   * The scan of a JSON object body within the limits, read by {@code reader} (whose depth limit
   * holds); null for anything else. A streaming pass: strings are stepped over, never held, at any
   * size. A usage found by the parser's own limits fits a line: it is one level below the body.
   */
  static AnswerScan of(byte[] body, long limit, ObjectMapper reader) {
    if (body == null || body.length > limit) {
      return null;
    }
    int usageStart = -1;
    int usageEnd = -1;
    UsageTokens.Counts counts = null;
    JsonNode tree = null;
    try (JsonParser p = reader.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        if (p.nextToken() == JsonToken.START_OBJECT && "usage".equals(name)) {
          // A name repeated: the last object, as a tree would keep.
          long start = p.currentTokenLocation().getByteOffset(); // in the array, a BOM counted
          if (start >= 0 && start < body.length && body[(int) start] == '{') {
            counts = UsageTokens.read(p); // counted on the way: a second parse of it cost as much
            usageStart = (int) start;
            usageEnd = (int) p.currentLocation().getByteOffset();
            tree = null;
          } else {
            // A wide body is read as characters, whose parser gives no byte offsets (-1).
            tree = p.readValueAsTree();
            usageStart = -1;
          }
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return null;
      }
      return new AnswerScan(
          usageStart, usageEnd, counts, tree, p.currentLocation().getLineNr() == 1);
    } catch (JacksonException e) {
      return null; // not JSON after all, or too deep for a line: copied by the generator
    }
  }

  /**
   * Writes the usage this scan found in {@code body} into the line, as its bytes are when the body
   * is on one line: building a tree of it and writing the tree again was about a third of a chat
   * line's cost ({@code make microbench}).
   *
   * @return its token counts, or null when it has none
   */
  UsageTokens.Counts writeUsage(JsonGenerator g, byte[] body) {
    if (usageStart < 0) {
      return usageTree == null ? null : writeUsage(g, usageTree);
    }
    byte[] bytes = Arrays.copyOfRange(body, usageStart, usageEnd);
    if (!Utf8.isWellFormed(bytes)) {
      return counts; // its strings were stepped over, never decoded: counted, not copied
    }
    if (oneLine) {
      g.writeName("usage");
      g.writeRawValue(new RawJson(bytes));
      return counts;
    }
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(bytes); // re-generated below, compacted onto one line
    } catch (JacksonException e) {
      return counts; // a string past the parser's limits, stepped over: counted, not copied
    }
    g.writeName("usage");
    g.writeTree(tree);
    return counts;
  }

  /** A usage object already read as a tree, into the line; its token counts. */
  static UsageTokens.Counts writeUsage(JsonGenerator g, JsonNode usage) {
    g.writeName("usage");
    g.writeTree(usage);
    return UsageTokens.counts(usage);
  }
}
