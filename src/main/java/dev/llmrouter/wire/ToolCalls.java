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
   * tool_use} block: the id kept (the next turn's tool result refers to it), the {@code input}
   * object as the JSON string OpenAI carries arguments in ({@code "{}"} when there is none).
   */
  static void addOpenAiCall(ArrayNode calls, JsonNode toolUse) {
    ObjectNode call = calls.addObject();
    call.put("id", toolUse.path("id").asString(""));
    call.put("type", "function");
    ObjectNode function = call.putObject("function");
    function.put("name", toolUse.path("name").asString(""));
    JsonNode input = toolUse.path("input");
    function.put("arguments", input.isObject() ? Json.MAPPER.writeValueAsString(input) : "{}");
  }
}
