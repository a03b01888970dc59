package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Translator.NotTranslatable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI Chat Completions request as an Anthropic Messages request (PROTOCOLS.md 5.1). Reads the
 * client's tree once and builds the provider's; subtrees that mean the same on both sides (a tool's
 * JSON schema) are moved over, not copied.
 *
 * <p>Dropped, because Messages has no counterpart and leaving them out changes nothing the client
 * can rely on: {@code seed}, {@code frequency_penalty}, {@code presence_penalty}, {@code
 * logit_bias}, {@code service_tier}, {@code stream_options} (Messages always streams usage), {@code
 * store}, {@code metadata}, {@code reasoning_effort}, {@code n: 1}, {@code logprobs: false}, {@code
 * response_format: text}, {@code parallel_tool_calls: true}, {@code top_p: 1}, a message's {@code
 * name}, an image's {@code detail}, a tool's {@code strict}, and every field this class does not
 * know. Refused ({@link NotTranslatable}): what would change the answer if dropped.
 */
final class ChatViaMessagesRequest {

  private ChatViaMessagesRequest() {}

  static byte[] translate(byte[] clientBody, String model, int maxTokens) throws NotTranslatable {
    ObjectNode request = object(clientBody);
    refuseWhatMessagesCannotExpress(request);
    JsonNode messages = request.path("messages");
    if (!messages.isArray()) {
      throw new NotTranslatable("messages", "not an array");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", model);
    out.put("max_tokens", maxTokens(request, maxTokens));
    ChatViaMessagesTurns conversation = new ChatViaMessagesTurns();
    for (int i = 0; i < messages.size(); i++) {
      conversation.add(messages.get(i), i);
    }
    JsonNode system = conversation.system();
    if (system != null) {
      out.set("system", system);
    }
    ArrayNode turns = conversation.turns();
    if (turns.isEmpty()) {
      // Messages answers 400 "at least one message is required"; Chat takes a system prompt alone.
      throw new NotTranslatable("messages", "Anthropic Messages needs a user or assistant message");
    }
    out.set("messages", turns);
    ArrayNode tools = tools(request.path("tools"));
    if (tools == null) {
      tools = toolsOfTheHistory(turns);
      if (tools != null) {
        // Messages refuses tool_use and tool_result blocks in a request that defines no tools (400
        // "Requests which include tool_use or tool_result blocks must define tools"); Chat takes
        // them, and a summary or compaction call after a tool loop sends none. The tools the
        // history used are defined bare, and none may be called.
        out.set("tools", tools);
        out.putObject("tool_choice").put("type", "none");
      }
    } else {
      out.set("tools", tools);
      ObjectNode toolChoice = toolChoice(request);
      if (toolChoice != null) {
        out.set("tool_choice", toolChoice);
      }
    }
    ArrayNode stop = stopSequences(request.path("stop"));
    if (stop != null) {
      out.set("stop_sequences", stop);
    }
    JsonNode temperature = request.path("temperature");
    if (temperature.isNumber()) {
      // OpenAI takes 0..2, Messages 0..1: the scales differ, so the ends are kept, not rescaled.
      out.put("temperature", Math.clamp(temperature.doubleValue(), 0.0, 1.0));
    }
    JsonNode topP = request.path("top_p");
    if (topP.isNumber() && topP.doubleValue() < 1.0 && !temperature.isNumber()) {
      // Claude Sonnet 4.5 and later answer 400 "temperature and top_p cannot both be specified
      // for this model", and OpenAI clients (chat UIs) often send both: temperature is kept. 1 is
      // the default (no cut), never sent.
      out.set("top_p", topP);
    }
    String user = firstString(request, "safety_identifier", "user");
    if (user != null) {
      out.putObject("metadata").put("user_id", user);
    }
    JsonNode stream = request.path("stream");
    if (stream.isBoolean()) {
      out.put("stream", stream.booleanValue());
    }
    return Json.MAPPER.writeValueAsBytes(out);
  }

  private static ObjectNode object(byte[] body) {
    try {
      if (Json.MAPPER.readTree(body) instanceof ObjectNode request) {
        return request;
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the body is not JSON", e);
    }
    throw new IllegalArgumentException("the body is not a JSON object");
  }

  private static void refuseWhatMessagesCannotExpress(ObjectNode request) throws NotTranslatable {
    JsonNode n = request.path("n");
    if (!n.isMissingNode() && !n.isNull() && !(n.isIntegralNumber() && n.intValue() == 1)) {
      throw new NotTranslatable("n", "Anthropic Messages gives one choice per request");
    }
    if (request.path("logprobs").asBoolean(false)) {
      throw new NotTranslatable("logprobs", "Anthropic Messages gives no log probabilities");
    }
    if (request.path("top_logprobs").asInt(0) > 0) {
      throw new NotTranslatable("top_logprobs", "Anthropic Messages gives no log probabilities");
    }
    if (present(request, "audio")) {
      throw new NotTranslatable("audio", "Anthropic Messages gives no audio");
    }
    for (JsonNode modality : request.path("modalities")) {
      if ("audio".equals(modality.asString(""))) {
        throw new NotTranslatable("modalities", "Anthropic Messages gives no audio");
      }
    }
    // A JSON answer asked for (a schema, or any JSON) is refused, not translated (issue 14 §2.5):
    // dropped, the answer would come back as prose the client's parse fails on.
    String format = request.path("response_format").path("type").asString("text");
    if (!format.equals("text")) {
      throw new NotTranslatable(
          "response_format", "a " + format + " response_format is not translated to Messages");
    }
    if (present(request, "prediction")) {
      throw new NotTranslatable("prediction", "Anthropic Messages has no predicted outputs");
    }
    if (present(request, "functions") || present(request, "function_call")) {
      throw new NotTranslatable(
          present(request, "functions") ? "functions" : "function_call",
          "the deprecated functions API is not translated; tools are");
    }
    if (present(request, "web_search_options")) {
      throw new NotTranslatable("web_search_options", "a client's web search is not translated");
    }
  }

  static boolean present(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && !value.isNull();
  }

  private static long maxTokens(ObjectNode request, int configured) {
    JsonNode limit = request.path("max_completion_tokens");
    if (!limit.isIntegralNumber()) {
      limit = request.path("max_tokens");
    }
    return Translator.outputLimit(
        limit.isIntegralNumber() && limit.canConvertToInt() ? (Long) limit.asLong() : null,
        configured,
        false);
  }

  private static String firstString(JsonNode node, String... fields) {
    for (String field : fields) {
      JsonNode value = node.path(field);
      if (value.isString() && !value.stringValue().isEmpty()) {
        return value.stringValue();
      }
    }
    return null;
  }

  private static ArrayNode tools(JsonNode tools) throws NotTranslatable {
    if (!tools.isArray() || tools.isEmpty()) {
      return null;
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (int j = 0; j < tools.size(); j++) {
      JsonNode tool = tools.get(j);
      JsonNode function = tool.path("function");
      if (!"function".equals(tool.path("type").asString("function")) || !function.isObject()) {
        throw new NotTranslatable("tools[" + j + "]", "only function tools are translated");
      }
      ObjectNode t = out.addObject();
      t.put("name", function.path("name").asString(""));
      String description = function.path("description").asString("");
      if (!description.isEmpty()) {
        t.put("description", description);
      }
      JsonNode parameters = function.get("parameters");
      ObjectNode schema;
      if (parameters instanceof ObjectNode given) {
        schema = given;
      } else {
        schema = Json.MAPPER.createObjectNode(); // omitted parameters: a function of no arguments
        schema.putObject("properties");
      }
      if (!schema.has("type")) {
        schema.put("type", "object"); // Messages requires it; OpenAI takes {} for "no arguments"
      }
      t.set("input_schema", schema);
    }
    return out;
  }

  /** The tool choice, or null to leave Messages' default (auto, parallel calls allowed). */
  private static ObjectNode toolChoice(ObjectNode request) throws NotTranslatable {
    JsonNode choice = request.path("tool_choice");
    ObjectNode out = null;
    if (choice.isString()) {
      out = Json.MAPPER.createObjectNode();
      switch (choice.stringValue()) {
        case "auto" -> out.put("type", "auto");
        case "none" -> out.put("type", "none");
        case "required" -> out.put("type", "any");
        default -> throw new NotTranslatable("tool_choice", "unknown tool_choice " + choice);
      }
    } else if (choice.isObject()) {
      String name = choice.path("function").path("name").asString("");
      if (!"function".equals(choice.path("type").asString("")) || name.isEmpty()) {
        // allowed_tools and custom tools have no counterpart.
        throw new NotTranslatable("tool_choice", "only a named function tool_choice is translated");
      }
      out = Json.MAPPER.createObjectNode();
      out.put("type", "tool");
      out.put("name", name);
    }
    JsonNode parallel = request.path("parallel_tool_calls");
    if (parallel.isBoolean() && !parallel.booleanValue()) {
      if (out == null) {
        out = Json.MAPPER.createObjectNode().put("type", "auto");
      }
      if (!"none".equals(out.path("type").stringValue())) {
        out.put("disable_parallel_tool_use", true); // Messages rejects it on none
      }
    }
    return out;
  }

  /** A bare definition of each tool the history's tool_use blocks name; null when none does. */
  private static ArrayNode toolsOfTheHistory(ArrayNode turns) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (JsonNode turn : turns) {
      for (JsonNode block : turn.path("content")) {
        if ("tool_use".equals(block.path("type").asString(""))) {
          names.add(block.path("name").asString(""));
        }
      }
    }
    names.remove("");
    if (names.isEmpty()) {
      return null;
    }
    ArrayNode tools = Json.MAPPER.createArrayNode();
    for (String name : names) {
      ObjectNode tool = tools.addObject().put("name", name);
      tool.putObject("input_schema").put("type", "object");
    }
    return tools;
  }

  private static ArrayNode stopSequences(JsonNode stop) throws NotTranslatable {
    ArrayNode out = Json.MAPPER.createArrayNode();
    if (stop.isString()) {
      out.add(stop.stringValue());
    } else {
      for (JsonNode s : stop) {
        if (s.isString()) {
          out.add(s.stringValue());
        }
      }
    }
    for (JsonNode s : out) {
      if (s.stringValue().isBlank()) {
        // Messages refuses it (400 "each stop sequence must contain non-whitespace"); dropping it
        // would let the answer run past where the client wanted it to stop.
        throw new NotTranslatable("stop", "Anthropic takes no stop sequence of white space only");
      }
    }
    return out.isEmpty() ? null : out;
  }
}
