package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Translator.NotTranslatable;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The {@code messages} of a chat request, one at a time, as Messages' top-level {@code system} and
 * its turns. Messages has no system role, takes tool results as blocks of a user turn, and wants
 * user and assistant turns to alternate, so consecutive messages of the same side (a run of tool
 * results, then the user's next words) become one turn, in order (PROTOCOLS.md 5.1).
 */
final class ChatViaMessagesTurns {

  /** Messages' image sources take these only (PROTOCOLS.md 5.1); others would be a 400 there. */
  private static final List<String> IMAGE_TYPES =
      List.of("image/jpeg", "image/png", "image/gif", "image/webp");

  private static final String BASE64 = ";base64,";

  private final List<String> system = new ArrayList<>(1);
  private final ArrayNode turns = Json.MAPPER.createArrayNode();

  /** The side of the last turn ({@code user} or {@code assistant}), and its blocks. */
  private String role;

  private ArrayNode content;

  /** How many tool_result blocks open the last turn: results must come before anything else. */
  private int results;

  void add(JsonNode message, int i) throws NotTranslatable {
    String messageRole = message.path("role").asString("");
    switch (messageRole) {
      case "system", "developer" -> systemText(message.path("content"), i);
      case "user" -> user(message.path("content"), i);
      case "assistant" -> assistant(message, i);
      case "tool" -> toolResult(message, i);
      case "function" ->
          throw new NotTranslatable(
              "messages[" + i + "]", "the deprecated function role is not translated");
      default -> throw new NotTranslatable("messages[" + i + "].role", "no role of the API");
    }
  }

  /** The top-level system prompt: a string, several text blocks in order, or null for none. */
  JsonNode system() {
    if (system.isEmpty()) {
      return null;
    }
    if (system.size() == 1) {
      return StringNode.valueOf(system.get(0));
    }
    // Blocks rather than one joined string: Messages reads them in order, and no separator has
    // to be made up between texts that were apart.
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    for (String text : system) {
      blocks.addObject().put("type", "text").put("text", text);
    }
    return blocks;
  }

  /** The turns, a turn of a single text as a plain string (what Messages clients send). */
  ArrayNode turns() {
    JsonNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && "assistant".equals(last.path("role").stringValue())) {
      // A final assistant turn is a prefill, which Messages refuses to end in white space (400
      // "final assistant content cannot end with trailing whitespace").
      JsonNode block = last.path("content").path(last.path("content").size() - 1);
      if ("text".equals(block.path("type").stringValue())) {
        ((ObjectNode) block).put("text", block.path("text").asString("").stripTrailing());
      }
    }
    for (JsonNode turn : turns) {
      JsonNode blocks = turn.path("content");
      if (blocks.size() == 1 && "text".equals(blocks.get(0).path("type").stringValue())) {
        ((ObjectNode) turn).set("content", blocks.get(0).get("text"));
      }
    }
    return turns;
  }

  private void systemText(JsonNode content, int i) throws NotTranslatable {
    if (content.isString()) {
      if (!content.stringValue().isEmpty()) {
        system.add(content.stringValue());
      }
      return;
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      if (!"text".equals(part.path("type").asString(""))) {
        throw new NotTranslatable(part(i, j), "a system message can only be text");
      }
      String text = part.path("text").asString("");
      if (!text.isEmpty()) {
        system.add(text);
      }
    }
  }

  private void user(JsonNode content, int i) throws NotTranslatable {
    if (content.isString()) {
      text("user", content.stringValue());
      return;
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      switch (part.path("type").asString("")) {
        case "text" -> text("user", part.path("text").asString(""));
        case "image_url" -> block("user", image(part.path("image_url"), part(i, j)));
        case "input_audio" -> throw new NotTranslatable(part(i, j), "Messages takes no audio");
        case "file" -> throw new NotTranslatable(part(i, j), "file parts are not translated");
        default -> throw new NotTranslatable(part(i, j), "unknown content part type");
      }
    }
  }

  private static ObjectNode image(JsonNode imageUrl, String field) throws NotTranslatable {
    String url = (imageUrl.isString() ? imageUrl : imageUrl.path("url")).asString("");
    ObjectNode image = Json.MAPPER.createObjectNode().put("type", "image");
    ObjectNode source = image.putObject("source");
    if (url.startsWith("data:")) {
      int base64 = url.indexOf(BASE64);
      // Media types are case-insensitive (RFC 2045), and "image/jpg" is the alias code that writes
      // data:image/${extension} produces; Messages takes image/jpeg alone.
      String mediaType =
          base64 < 0
              ? ""
              : url.substring("data:".length(), base64).toLowerCase(java.util.Locale.ROOT);
      if (mediaType.equals("image/jpg") || mediaType.equals("image/pjpeg")) {
        mediaType = "image/jpeg";
      }
      if (!IMAGE_TYPES.contains(mediaType)) {
        throw new NotTranslatable(
            field, "Messages takes base64 JPEG, PNG, GIF or WebP images only");
      }
      source.put("type", "base64");
      source.put("media_type", mediaType);
      source.put("data", url.substring(base64 + BASE64.length()));
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      source.put("type", "url");
      source.put("url", url);
    } else {
      throw new NotTranslatable(field, "an image URL must be data: or http(s):");
    }
    return image;
  }

  private void assistant(JsonNode message, int i) throws NotTranslatable {
    JsonNode content = message.path("content");
    if (content.isString()) {
      text("assistant", content.stringValue());
    } else {
      for (int j = 0; j < content.size(); j++) {
        JsonNode part = content.get(j);
        switch (part.path("type").asString("")) {
          case "text" -> text("assistant", part.path("text").asString(""));
          case "refusal" -> text("assistant", part.path("refusal").asString(""));
          default -> throw new NotTranslatable(part(i, j), "unknown assistant content part type");
        }
      }
    }
    if (!content.isString() && !content.isArray()) {
      // An answer that was a refusal has it here instead of in content: it is what was said.
      text("assistant", message.path("refusal").asString(""));
    }
    if (ChatViaMessagesRequest.present(message, "function_call")
        || ChatViaMessagesRequest.present(message, "audio")) {
      throw new NotTranslatable(
          "messages[" + i + "]", "function_call and audio answers are not translated");
    }
    JsonNode calls = message.path("tool_calls");
    for (int j = 0; j < calls.size(); j++) {
      block("assistant", toolUse(calls.get(j), "messages[" + i + "].tool_calls[" + j + "]"));
    }
  }

  private static ObjectNode toolUse(JsonNode call, String field) throws NotTranslatable {
    JsonNode function = call.path("function");
    if (!"function".equals(call.path("type").asString("function")) || !function.isObject()) {
      throw new NotTranslatable(field, "only function tool calls are translated");
    }
    ObjectNode use = Json.MAPPER.createObjectNode().put("type", "tool_use");
    use.put("id", ToolCalls.anthropicId(call.path("id").asString("")));
    use.put("name", function.path("name").asString(""));
    use.set("input", input(function.path("arguments"), field + ".function.arguments"));
    return use;
  }

  /**
   * A call's {@code arguments} string as Messages' {@code input} object. Arguments that are not a
   * JSON object (cut short by a length limit, or made up) are refused rather than wrapped: Claude
   * would read a wrapper as what it had called the tool with.
   */
  private static JsonNode input(JsonNode arguments, String field) throws NotTranslatable {
    if (arguments.isObject()) {
      return arguments;
    }
    String text = arguments.asString("");
    if (text.isBlank()) {
      return Json.MAPPER.createObjectNode(); // a call without arguments
    }
    try {
      JsonNode input = Json.MAPPER.readTree(text);
      if (input.isObject()) {
        return input;
      }
    } catch (JacksonException e) {
      // refused below
    }
    throw new NotTranslatable(field, "the arguments are not a JSON object");
  }

  private void toolResult(JsonNode message, int i) throws NotTranslatable {
    JsonNode id = message.path("tool_call_id");
    if (!id.isString()) {
      throw new NotTranslatable("messages[" + i + "].tool_call_id", "not a string");
    }
    ObjectNode result = Json.MAPPER.createObjectNode().put("type", "tool_result");
    result.put("tool_use_id", ToolCalls.anthropicId(id.stringValue()));
    JsonNode given = message.path("content");
    if (given.isString()) {
      if (!given.stringValue().isBlank()) {
        result.set("content", given);
      }
    } else if (given.isArray()) {
      ArrayNode blocks = Json.MAPPER.createArrayNode();
      for (int j = 0; j < given.size(); j++) {
        JsonNode part = given.get(j);
        if (!"text".equals(part.path("type").asString(""))) {
          throw new NotTranslatable(part(i, j), "a tool result can only be text");
        }
        String text = part.path("text").asString("");
        if (!text.isBlank()) {
          blocks.addObject().put("type", "text").put("text", text);
        }
      }
      if (!blocks.isEmpty()) {
        result.set("content", blocks);
      }
    }
    turn("user");
    // Messages wants a turn's results before its text, even if the client wrote them after.
    content.insert(results++, result);
  }

  private void text(String side, String text) {
    // Messages rejects empty text blocks, and blank ones: 400 "text content blocks must contain
    // non-whitespace text" (Claude itself may answer "\n\n" before a tool call, which the client
    // then sends back).
    if (!text.isBlank()) {
      block(side, Json.MAPPER.createObjectNode().put("type", "text").put("text", text));
    }
  }

  private void block(String side, ObjectNode block) {
    turn(side);
    content.add(block);
  }

  private void turn(String side) {
    if (!side.equals(role)) {
      role = side;
      ObjectNode turn = turns.addObject().put("role", side);
      content = turn.putArray("content");
      results = 0;
    }
  }

  private static String part(int i, int j) {
    return "messages[" + i + "].content[" + j + "]";
  }
}
