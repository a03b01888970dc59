package dev.llmrouter.logging;

import dev.llmrouter.json.Json;
import dev.llmrouter.upstream.SseFraming;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles what a stream said, for the log: the text the model produced, tool-call pieces joined
 * per call, and usage. Runs on the writer thread only.
 */
final class StreamAssembler {

  private StreamAssembler() {}

  /** {@code {"content": ..., "tool_calls"?: [...], "thinking"?: ...}} plus usage, or null. */
  record Assembled(ObjectNode response, JsonNode usage) {}

  static Assembled assemble(List<SseFraming.Event> events) {
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    Map<Integer, ToolCall> tools = new TreeMap<>();
    ObjectNode usage = null;
    for (SseFraming.Event event : events) {
      JsonNode data = parse(event.data());
      if (data == null) {
        continue;
      }
      if (data.has("choices") || (data.has("usage") && !data.has("type"))) {
        usage = openAiChunk(data, text, tools, usage);
      } else {
        usage = anthropicEvent(data, text, thinking, tools, usage);
      }
    }
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("content", text.toString());
    if (!thinking.isEmpty()) {
      response.put("thinking", thinking.toString());
    }
    if (!tools.isEmpty()) {
      var calls = response.putArray("tool_calls");
      for (ToolCall tool : tools.values()) {
        tool.node.put("arguments", tool.arguments.toString());
        calls.add(tool.node);
      }
    }
    return new Assembled(response, usage);
  }

  /** OpenAI: choices[].delta.content and tool_calls[index].function.arguments pieces. */
  private static ObjectNode openAiChunk(
      JsonNode chunk, StringBuilder text, Map<Integer, ToolCall> tools, ObjectNode usage) {
    for (JsonNode choice : chunk.path("choices")) {
      JsonNode delta = choice.path("delta");
      if (delta.path("content").isString()) {
        text.append(delta.path("content").asString());
      }
      for (JsonNode call : delta.path("tool_calls")) {
        ToolCall tool = tools.computeIfAbsent(call.path("index").asInt(), i -> newTool());
        copyIfPresent(call, "id", tool.node);
        JsonNode function = call.path("function");
        copyIfPresent(function, "name", tool.node);
        appendArguments(tool, function.path("arguments").asString(""));
      }
    }
    if (chunk.path("usage").isObject()) {
      return (ObjectNode) chunk.get("usage");
    }
    return usage;
  }

  /** Anthropic: text/thinking/input_json deltas per block; usage from start and deltas. */
  private static ObjectNode anthropicEvent(
      JsonNode event,
      StringBuilder text,
      StringBuilder thinking,
      Map<Integer, ToolCall> tools,
      ObjectNode usage) {
    switch (event.path("type").asString("")) {
      case "message_start" -> {
        JsonNode start = event.path("message").path("usage");
        if (start.isObject()) {
          usage = ((ObjectNode) start).deepCopy();
        }
      }
      case "content_block_start" -> {
        JsonNode block = event.path("content_block");
        if (block.path("type").asString("").equals("tool_use")) {
          ToolCall tool = tools.computeIfAbsent(event.path("index").asInt(), i -> newTool());
          copyIfPresent(block, "id", tool.node);
          copyIfPresent(block, "name", tool.node);
        }
      }
      case "content_block_delta" -> {
        JsonNode delta = event.path("delta");
        switch (delta.path("type").asString("")) {
          case "text_delta" -> text.append(delta.path("text").asString(""));
          case "thinking_delta" -> thinking.append(delta.path("thinking").asString(""));
          case "input_json_delta" ->
              appendArguments(
                  tools.computeIfAbsent(event.path("index").asInt(), i -> newTool()),
                  delta.path("partial_json").asString(""));
          default -> {
            // signature and citation deltas carry nothing worth assembling for the log
          }
        }
      }
      case "message_delta" -> {
        // message_delta usage counts are cumulative: the latest wins, merged over the start.
        JsonNode delta = event.path("usage");
        if (delta.isObject()) {
          if (usage == null) {
            usage = Json.MAPPER.createObjectNode();
          }
          usage.setAll((ObjectNode) delta);
        }
      }
      default -> {
        // ping, message_stop, unknown new types: nothing to assemble
      }
    }
    return usage;
  }

  /** One tool call being assembled; arguments arrive in many small pieces. */
  private static final class ToolCall {
    final ObjectNode node = Json.MAPPER.createObjectNode();
    final StringBuilder arguments = new StringBuilder();
  }

  private static ToolCall newTool() {
    return new ToolCall();
  }

  private static void appendArguments(ToolCall tool, String piece) {
    tool.arguments.append(piece);
  }

  private static void copyIfPresent(JsonNode from, String field, ObjectNode to) {
    if (from.path(field).isString()) {
      to.put(field, from.path(field).asString());
    }
  }

  private static JsonNode parse(String data) {
    if (data == null || data.isEmpty() || data.charAt(0) != '{') {
      return null; // [DONE], comments
    }
    try {
      return Json.MAPPER.readTree(data);
    } catch (JacksonException e) {
      return null;
    }
  }
}
