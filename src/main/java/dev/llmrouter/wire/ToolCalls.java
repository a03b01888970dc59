package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The one home of turning an Anthropic {@code tool_use} block into an OpenAI tool call. */
final class ToolCalls {

  private ToolCalls() {}

  /**
   * Appends {@code {"id", "type": "function", "function": {"name", "arguments"}}} for a {@code
   * tool_use} block: the id kept (the next turn's tool result refers to it; {@link #openAiId} when
   * too long), the {@code input} object as the JSON string OpenAI carries arguments in ({@code
   * "{}"} when there is none).
   */
  static void addOpenAiCall(ArrayNode calls, JsonNode toolUse) {
    addOpenAiCall(calls, toolUse, toolUse.path("name").asString(""));
  }

  /** The same, with the function named {@code name} (see {@link ToolNames#forOpenAi}). */
  static void addOpenAiCall(ArrayNode calls, JsonNode toolUse, String name) {
    ObjectNode call = calls.addObject();
    call.put("id", openAiId(toolUse.path("id").asString("")));
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.put("name", name);
    JsonNode input = toolUse.path("input");
    function.put("arguments", input.isObject() ? Json.MAPPER.writeValueAsString(input) : "{}");
  }

  /** The longest tool call id OpenAI takes (400 "Expected a string with maximum length 40"). */
  static final int OPENAI_MAX_ID = 40;

  /**
   * A tool call id as an OpenAI-API provider takes it: vLLM's own ({@code chatcmpl-tool-} and 32
   * hex digits, 46 characters) or one {@link #anthropicId} rewrote can be longer, and a history
   * made by one provider then fails on the next. Shortened alike on the call and its result, so
   * that they still pair up; the answer's ids are the provider's own.
   */
  static String openAiId(String id) {
    return ToolNames.shortened(id, OPENAI_MAX_ID);
  }

  /**
   * Claude's tool ids must match {@code ^[a-zA-Z0-9_-]+$} (PROTOCOLS.md 5.1); ids another provider
   * gave ({@code functions.Bash:0}) are rewritten the same way on the call and on its result, so
   * that they still pair up. A hash of the original keeps two rewritten ids apart.
   */
  static String anthropicId(String id) {
    for (int i = 0; i < id.length(); i++) {
      if (!isIdChar(id.charAt(i))) {
        StringBuilder b = new StringBuilder(id.length() + 9);
        for (int k = 0; k < id.length(); k++) {
          char c = id.charAt(k);
          b.append(isIdChar(c) ? c : '_');
        }
        return b.append('_').append(Integer.toHexString(id.hashCode())).toString();
      }
    }
    return id;
  }

  private static boolean isIdChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }
}
