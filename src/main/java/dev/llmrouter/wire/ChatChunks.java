package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What a Chat Completions stream chunk holds, read without a parse where the text answers. */
final class ChatChunks {

  private static final String CHOICES = "\"choices\"";

  private ChatChunks() {}

  /**
   * Whether a chunk's {@code choices} is an empty array and it reports no {@code usage}: Azure
   * OpenAI's first chunk, {@code {"choices":[],...,"prompt_filter_results":[...]}}. The usage chunk
   * has empty choices too, but it carries the usage. Most chunks fail the text check: no parse.
   */
  static boolean hasNoChoices(String data) {
    if (data == null) {
      return false;
    }
    int at = data.indexOf(CHOICES);
    if (at < 0) {
      return false;
    }
    int i = skipSpace(data, at + CHOICES.length());
    if (i >= data.length() || data.charAt(i) != ':') {
      return false;
    }
    i = skipSpace(data, i + 1);
    if (i >= data.length() || data.charAt(i) != '[') {
      return false;
    }
    i = skipSpace(data, i + 1);
    if (i >= data.length() || data.charAt(i) != ']') {
      return false;
    }
    if (!data.contains("\"usage\"")) {
      return true;
    }
    try {
      JsonNode usage = Json.MAPPER.readTree(data).path("usage");
      return usage.isMissingNode() || usage.isNull();
    } catch (JacksonException e) {
      return false;
    }
  }

  /** The index of the first character at or after {@code i} that is not white space. */
  static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
