package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Translator.NotTranslatable;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Anthropic Messages request as an OpenAI Chat Completions request (PROTOCOLS.md 5.1). Pure data
 * in, data out: one tree read, one tree written.
 *
 * <p>What has no counterpart is dropped, because Claude Code sends all of it on every request and
 * must work: {@code top_k}, {@code cache_control} anywhere, {@code thinking}, {@code
 * context_management}, {@code output_config} (its {@code format} too, as issue 14 §2.5 asks; the
 * beta's {@code output_format} with it), {@code service_tier}, {@code metadata} other than {@code
 * user_id}, a tool's {@code defer_loading} and {@code strict}, a tool result's {@code is_error},
 * and thinking blocks in the history (DeepSeek answers 400 to its own {@code reasoning_content}
 * sent back, and other providers have no field for it). Top-level fields this class does not know
 * are dropped too: an OpenAI provider rejects unknown fields, and Anthropic adds new ones often.
 * What would change the answer's meaning is refused with {@link NotTranslatable}: {@code document}
 * blocks, server tools, {@code container}, {@code mcp_servers}, a final assistant turn, and content
 * blocks of types this class does not know.
 */
final class MessagesViaChatRequest {

  /**
   * Between text blocks that become one string. Anthropic reads adjacent blocks as one text; a
   * blank line keeps the pieces (Claude Code's system-reminder block, then the prompt) apart.
   */
  static final String BLOCK_SEPARATOR = "\n\n";

  /**
   * A tool result's images cannot go into an OpenAI {@code tool} message (text only); they follow
   * in the user message after the turn's tool messages, and a result with no text says so.
   */
  static final String IMAGE_RESULT_NOTE =
      "(the tool returned an image; it follows in the next message)";

  private MessagesViaChatRequest() {}

  static byte[] translate(byte[] clientBody, String model, int maxTokens) throws NotTranslatable {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(clientBody);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the body is not JSON", e);
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException("the body is not a JSON object");
    }
    if (!root.path("messages").isArray()) {
      throw new NotTranslatable("messages", "not an array");
    }
    refuseFeatures(root);

    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", model);
    ArrayNode messages = out.putArray("messages");
    StringBuilder system = new StringBuilder();
    appendText(root.get("system"), "system", system);
    JsonNode clientMessages = root.get("messages");
    for (int i = 0; i < clientMessages.size(); i++) {
      JsonNode message = clientMessages.get(i);
      String field = "messages[" + i + "]";
      String role = message.path("role").asString("");
      JsonNode content = message.get("content");
      switch (role) {
        // Claude Code puts role:system entries among the messages. They are moved up into the one
        // leading system message: OpenAI takes system messages anywhere, but the chat templates of
        // many open models served by vLLM reject a system message after the first turn.
        case "system" -> appendText(content, field + ".content", system);
        case "user" -> user(content, field + ".content", messages);
        case "assistant" -> {
          assistant(content, field + ".content", messages);
          if (i == clientMessages.size() - 1) { // a prefill: Chat answers anew, unlike Messages
            throw new NotTranslatable(field, "a final assistant turn has no OpenAI form");
          }
        }
        default -> throw new NotTranslatable(field + ".role", "no role of the API");
      }
    }
    if (!system.isEmpty()) {
      ObjectNode first = Json.MAPPER.createObjectNode();
      first.put("role", "system");
      first.put("content", system.toString());
      messages.insert(0, first);
    }

    OpenAiModels.limitsAndSampling(root, model, maxTokens, out);
    tools(root, out);
    JsonNode user = root.path("metadata").get("user_id");
    if (user != null && user.isString()) {
      out.put("user", MessagesViaChat.openAiUser(user.stringValue()));
    }
    if (root.path("stream").asBoolean(false)) {
      out.put("stream", true);
      // OpenAI reports usage in a stream only when asked; Anthropic clients always get it.
      out.putObject("stream_options").put("include_usage", true);
    }
    return Json.MAPPER.writeValueAsBytes(out);
  }

  private static void refuseFeatures(JsonNode root) throws NotTranslatable {
    JsonNode container = root.get("container");
    if (container != null && !container.isNull()) {
      throw new NotTranslatable("container", "code-execution containers run only at Anthropic");
    }
    JsonNode servers = root.get("mcp_servers");
    if (servers != null && !servers.isNull() && !(servers.isArray() && servers.isEmpty())) {
      throw new NotTranslatable("mcp_servers", "Anthropic's MCP connector has no OpenAI form");
    }
  }

  /**
   * Appends a system value (a string or text blocks) to the system text.
   *
   * @throws NotTranslatable for a block that is not text
   */
  private static void appendText(JsonNode value, String field, StringBuilder text)
      throws NotTranslatable {
    if (value == null || value.isNull()) {
      return;
    }
    if (value.isString()) {
      separate(text).append(value.stringValue());
      return;
    }
    if (!value.isArray()) {
      throw new NotTranslatable(field, "neither a string nor blocks");
    }
    for (int j = 0; j < value.size(); j++) {
      JsonNode block = value.get(j);
      if (!"text".equals(block.path("type").asString(""))) {
        throw new NotTranslatable(field + "[" + j + "]", "only text can be a system prompt");
      }
      separate(text).append(block.path("text").asString(""));
    }
  }

  private static StringBuilder separate(StringBuilder text) {
    return text.isEmpty() ? text : text.append(BLOCK_SEPARATOR);
  }

  /**
   * A user turn: first one {@code tool} message per {@code tool_result} block, in order (OpenAI
   * wants every call answered right after the assistant message that made it), then one user
   * message with the rest of the turn, if any.
   */
  private static void user(JsonNode content, String field, ArrayNode messages)
      throws NotTranslatable {
    if (content == null || content.isNull() || content.isString()) {
      ObjectNode message = messages.addObject();
      message.put("role", "user");
      message.put("content", content != null && content.isString() ? content.stringValue() : "");
      return;
    }
    if (!content.isArray()) {
      throw new NotTranslatable(field, "neither a string nor blocks");
    }
    // The user message after the tool messages: the results' images, then the turn's own parts.
    List<ObjectNode> parts = new ArrayList<>();
    List<ObjectNode> resultImages = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockField = field + "[" + j + "]";
      switch (block.path("type").asString("")) {
        case "text" -> parts.add(textPart(block.path("text").asString("")));
        case "image" -> parts.add(imagePart(block, blockField));
        case "tool_result" -> toolResult(block, blockField, messages, resultImages);
        case "thinking", "redacted_thinking" -> {} // see the class comment
        case "document" ->
            throw new NotTranslatable(blockField, "OpenAI chat messages take no documents");
        default -> throw unknownBlock(block, blockField);
      }
    }
    if (!resultImages.isEmpty()) {
      parts.addAll(0, resultImages);
    }
    if (parts.isEmpty()) {
      return; // a turn of tool results only
    }
    ObjectNode message = messages.addObject();
    message.put("role", "user");
    String text = textOnly(parts);
    if (text != null) {
      message.put("content", text);
    } else {
      message.putArray("content").addAll(parts);
    }
  }

  private static void toolResult(
      JsonNode block, String field, ArrayNode messages, List<ObjectNode> images)
      throws NotTranslatable {
    StringBuilder text = new StringBuilder();
    int imagesBefore = images.size();
    JsonNode content = block.get("content");
    if (content != null && content.isString()) {
      text.append(content.stringValue());
    } else if (content != null && content.isArray()) {
      for (int k = 0; k < content.size(); k++) {
        JsonNode part = content.get(k);
        String partField = field + ".content[" + k + "]";
        switch (part.path("type").asString("")) {
          case "text" -> separate(text).append(part.path("text").asString(""));
          case "image" -> images.add(imagePart(part, partField));
          // Claude Code's ToolSearch answers with references to the tools it loads, whose
          // definitions are in "tools" from then on (defer_loading): to an OpenAI model, a note
          // naming each by the function name it sees.
          case "tool_reference" ->
              separate(text)
                  .append("Tool loaded: ")
                  .append(ToolNames.forOpenAi(part.path("tool_name").asString("")));
          case "document" ->
              throw new NotTranslatable(partField, "OpenAI tool messages take only text");
          default -> throw unknownBlock(part, partField);
        }
      }
    }
    if (text.isEmpty() && images.size() > imagesBefore) {
      text.append(IMAGE_RESULT_NOTE);
    }
    ObjectNode message = messages.addObject();
    message.put("role", "tool");
    message.put("tool_call_id", ToolCalls.openAiId(block.path("tool_use_id").asString("")));
    message.put("content", text.toString());
  }

  /** An assistant turn: its text as content, its tool_use blocks as tool_calls. */
  private static void assistant(JsonNode content, String field, ArrayNode messages)
      throws NotTranslatable {
    if (content == null || content.isNull() || content.isString()) {
      ObjectNode message = messages.addObject();
      message.put("role", "assistant");
      message.put("content", content != null && content.isString() ? content.stringValue() : "");
      return;
    }
    if (!content.isArray()) {
      throw new NotTranslatable(field, "neither a string nor blocks");
    }
    StringBuilder text = new StringBuilder();
    ArrayNode calls = null;
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockField = field + "[" + j + "]";
      switch (block.path("type").asString("")) {
        case "text" -> separate(text).append(block.path("text").asString(""));
        case "tool_use" -> {
          if (calls == null) {
            calls = Json.MAPPER.createArrayNode();
          }
          ToolCalls.addOpenAiCall(
              calls, block, ToolNames.forOpenAi(block.path("name").asString("")));
        }
        case "thinking", "redacted_thinking" -> {} // see the class comment
        default -> throw unknownBlock(block, blockField);
      }
    }
    if (text.isEmpty() && calls == null) {
      return; // only thinking: nothing an OpenAI provider could read
    }
    ObjectNode message = messages.addObject();
    message.put("role", "assistant");
    if (text.isEmpty()) {
      message.putNull("content"); // OpenAI's own form of a turn with only tool calls
    } else {
      message.put("content", text.toString());
    }
    if (calls != null) {
      message.set("tool_calls", calls);
    }
  }

  private static NotTranslatable unknownBlock(JsonNode block, String field) {
    String type = block.path("type").asString("");
    // server_tool_use, web_search_tool_result and the like come only from server tools.
    return new NotTranslatable(field, "a " + type + " block has no OpenAI counterpart");
  }

  private static ObjectNode textPart(String text) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    part.put("type", "text");
    part.put("text", text);
    return part;
  }

  private static ObjectNode imagePart(JsonNode block, String field) throws NotTranslatable {
    JsonNode source = block.path("source");
    String url =
        switch (source.path("type").asString("")) {
          case "base64" ->
              "data:"
                  + source.path("media_type").asString("")
                  + ";base64,"
                  + source.path("data").asString("");
          case "url" -> source.path("url").asString("");
          default ->
              throw new NotTranslatable(
                  field + ".source", "only base64 and url images have an OpenAI form");
        };
    ObjectNode part = Json.MAPPER.createObjectNode();
    part.put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  /** The parts as one string when all are text, else null (then they go as a parts array). */
  private static String textOnly(List<ObjectNode> parts) {
    StringBuilder text = new StringBuilder();
    for (ObjectNode part : parts) {
      if (!"text".equals(part.get("type").stringValue())) {
        return null;
      }
      separate(text).append(part.get("text").stringValue());
    }
    return text.toString();
  }

  private static void tools(JsonNode root, ObjectNode out) throws NotTranslatable {
    JsonNode tools = root.get("tools");
    if (tools == null || !tools.isArray() || tools.isEmpty()) {
      // OpenAI rejects tool_choice and parallel_tool_calls without tools.
      return;
    }
    ArrayNode functions = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asString("custom");
      if (!"custom".equals(type)) {
        // web_search_*, bash_*, text_editor_*, code_execution_*... run at Anthropic. Claude Code's
        // own tools are custom tools: name, description, input_schema and no type.
        throw new NotTranslatable(
            "tools[" + i + "]", "server tool " + type + " runs only at Anthropic");
      }
      ObjectNode function = functions.addObject().put("type", "function").putObject("function");
      function.put("name", ToolNames.forOpenAi(tool.path("name").asString("")));
      JsonNode description = tool.get("description");
      if (description != null && description.isString()) {
        function.put("description", description.stringValue());
      }
      JsonNode schema = tool.get("input_schema");
      if (schema != null && schema.isObject()) {
        function.set("parameters", schema);
      }
    }
    toolChoice(root.get("tool_choice"), out);
  }

  private static void toolChoice(JsonNode choice, ObjectNode out) throws NotTranslatable {
    if (choice == null || !choice.isObject()) {
      return;
    }
    switch (choice.path("type").asString("")) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" ->
          out.putObject("tool_choice")
              .put("type", "function")
              .putObject("function")
              .put("name", ToolNames.forOpenAi(choice.path("name").asString("")));
      default ->
          throw new NotTranslatable("tool_choice.type", "no OpenAI form for this tool choice");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }
}
