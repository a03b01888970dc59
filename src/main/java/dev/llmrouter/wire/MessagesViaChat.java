package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Anthropic Messages client served by an OpenAI Chat Completions provider: the request is {@link
 * MessagesViaChatRequest}'s, the stream {@link MessagesViaChatStream}'s; the answer and the error
 * are here, with the rules both the answer and the stream follow (stop reason, usage, message id).
 *
 * <p>Not carried to the client: DeepSeek's and vLLM's {@code reasoning_content} (an Anthropic
 * thinking block needs a signature the client would send back and no OpenAI provider checks); which
 * stop sequence matched ({@code stop_sequence} is always null: OpenAI does not say).
 */
final class MessagesViaChat implements Translator {

  static final MessagesViaChat INSTANCE = new MessagesViaChat();

  /** Upstream error text kept in a translated error: enough for any real message, not a page. */
  static final int MAX_ERROR_MESSAGE_CHARS = 4096;

  private MessagesViaChat() {}

  @Override
  public Api client() {
    return Api.ANTHROPIC;
  }

  @Override
  public Api provider() {
    return Api.OPENAI;
  }

  @Override
  public byte[] request(byte[] clientBody, String model, int maxTokens) throws NotTranslatable {
    return MessagesViaChatRequest.translate(clientBody, model, maxTokens);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the body is not a chat completion (no {@code
   *     choices[0].message}): an unusable 200, as good as a cut one
   */
  @Override
  public byte[] response(byte[] providerBody) {
    return response(providerBody, null);
  }

  /** {@inheritDoc} A tool name shortened for the provider comes back as the client's own. */
  @Override
  public byte[] response(byte[] providerBody, byte[] clientRequest) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(providerBody);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the provider's answer is not JSON", e);
    }
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    if (!message.isObject()) {
      throw new IllegalArgumentException("not a chat completion: no choices[0].message");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", messageId(root.path("id").asString("")));
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", root.path("model").asString(""));
    ArrayNode content = out.putArray("content");
    String text = text(message.get("content"));
    if (text.isEmpty()) {
      text = text(message.get("refusal")); // OpenAI's refusal comes instead of the content
    }
    if (!text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    boolean toolUse = false;
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      toolUse(content, call.path("id").asString(""), function, clientRequest);
      toolUse = true;
    }
    JsonNode legacy = message.get("function_call"); // the deprecated single call, without an id
    if (legacy != null && legacy.isObject()) {
      toolUse(content, "", legacy, clientRequest);
      toolUse = true;
    }
    out.put("stop_reason", stopReason(choice.path("finish_reason").asString(null), toolUse));
    out.putNull("stop_sequence");
    usage(root.path("usage"), out.putObject("usage"));
    return Json.MAPPER.writeValueAsBytes(out);
  }

  private static void toolUse(
      ArrayNode content, String id, JsonNode function, byte[] clientRequest) {
    ObjectNode block = content.addObject();
    block.put("type", "tool_use");
    // Kept, as Claude's rule allows it (the next turn's result names it): a provider's own
    // functions.Bash:0 would be refused if this conversation later fell back to Anthropic.
    block.put("id", id.isEmpty() ? toolUseId() : ToolCalls.anthropicId(id));
    block.put("name", ToolNames.original(function.path("name").asString(""), clientRequest));
    JsonNode arguments = function.path("arguments");
    // Some compatible servers send the arguments as an object, not as its JSON text.
    block.set("input", arguments.isObject() ? arguments : input(arguments.asString("")));
  }

  /**
   * A call's arguments as the object Anthropic's {@code input} must be. OpenAI says they are not
   * always valid JSON (a model's own text, or cut by {@code length}); then the input is {@code {}},
   * so that the client's tool reports the missing parameters to the model, which can try again.
   */
  private static JsonNode input(String arguments) {
    if (!arguments.isBlank()) {
      try {
        JsonNode input = Json.MAPPER.readTree(arguments);
        if (input.isObject()) {
          return input;
        }
      } catch (JacksonException e) {
        // as below
      }
    }
    return Json.MAPPER.createObjectNode();
  }

  /**
   * The message text of a content value: a string, or (some compatible servers) text parts. Also
   * for a stream's delta ({@link MessagesViaChatStream}).
   */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isString()) {
      return content.stringValue();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(part.path("text").asString(""));
    }
    return text.toString();
  }

  /**
   * OpenAI's error body (or any other: plain text, a flat {@code {"error":"..."}}, FastAPI's {@code
   * {"detail":...}}, vLLM's flat {@code {"object":"error","message":...}}) in Anthropic's shape,
   * typed by the status as the Anthropic SDKs read it (PROTOCOLS.md 2.4, 5.6).
   */
  @Override
  public byte[] error(int status, byte[] providerBody) {
    String message = errorMessage(status, providerBody);
    return errorBody(errorType(status), message);
  }

  static byte[] errorBody(String type, String message) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type);
    error.put("message", message);
    return Json.MAPPER.writeValueAsBytes(root);
  }

  /** Anthropic's error type for a status; other 4xx are invalid_request_error, as Anthropic's. */
  static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  /**
   * The upstream's own message. An OpenAI context overflow is prefixed with Anthropic's wording,
   * "prompt is too long", which Claude Code and the router's classifier look for.
   */
  static String errorMessage(int status, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    String message = text;
    boolean overflow = false;
    if (text.startsWith("{")) {
      try {
        JsonNode root = Json.MAPPER.readTree(text);
        JsonNode error = root.path("error");
        JsonNode found =
            error.isObject() ? error.get("message") : error.isString() ? error : root.get("detail");
        if (found == null || found.isNull()) {
          found = root.get("message");
        }
        if (found != null && found.isString()) {
          message = found.stringValue();
        } else if (found != null && !found.isNull()) {
          message = Json.MAPPER.writeValueAsString(found); // FastAPI's validation list, say
        }
        overflow = "context_length_exceeded".equals(error.path("code").asString(""));
      } catch (JacksonException e) {
        // not JSON after all: the text is the message
      }
    }
    if (message.isEmpty()) {
      return "the provider answered HTTP " + status + " without a message";
    }
    if (overflow || message.contains("maximum context length")) {
      message = "prompt is too long: " + message;
    }
    return message.length() > MAX_ERROR_MESSAGE_CHARS
        ? Json.cut(message, MAX_ERROR_MESSAGE_CHARS) + "…"
        : message;
  }

  /**
   * Anthropic's stop reason for OpenAI's finish reason. A turn with tool calls is {@code tool_use}
   * whatever else the provider says (some compatible servers finish it with {@code stop}): agents
   * run the tools only on {@code tool_use}. Except a turn cut by the output limit ({@code length}:
   * its last call's arguments may be cut too, as Claude's own {@code max_tokens} turn ends in an
   * unfinished block) or stopped by a content filter ({@code refusal}): the agent must not run
   * those calls as if the turn were whole. A turn without any is never {@code tool_use}, even when
   * the provider says {@code tool_calls} (a compatible server whose tool parser gave up keeps the
   * reason but sends the call as text): an agent would wait for a tool_use block that is not there.
   */
  static String stopReason(String finishReason, boolean toolUse) {
    if (finishReason == null) {
      return toolUse ? "tool_use" : "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "content_filter" -> "refusal";
      default -> toolUse ? "tool_use" : "end_turn"; // stop, tool_calls, function_call, others
    };
  }

  /**
   * Anthropic's usage for OpenAI's (PROTOCOLS.md 5.2): OpenAI's {@code prompt_tokens} include the
   * cached tokens, Anthropic's {@code input_tokens} exclude cache reads and writes, so those are
   * taken out. DeepSeek reports its cache hits as {@code prompt_cache_hit_tokens}.
   */
  static void usage(JsonNode usage, ObjectNode to) {
    JsonNode details = usage.path("prompt_tokens_details");
    long prompt = usage.path("prompt_tokens").asLong(0);
    long cacheRead =
        details.path("cached_tokens").asLong(usage.path("prompt_cache_hit_tokens").asLong(0));
    long cacheWrite = details.path("cache_write_tokens").asLong(0);
    to.put("input_tokens", Math.max(0, prompt - cacheRead - cacheWrite));
    to.put("cache_creation_input_tokens", cacheWrite);
    to.put("cache_read_input_tokens", cacheRead);
    to.put("output_tokens", usage.path("completion_tokens").asLong(0));
  }

  /** {@code msg_} and the completion's own id, so one answer can be found in both logs. */
  static String messageId(String completionId) {
    String id = completionId.startsWith("chatcmpl-") ? completionId.substring(9) : completionId;
    return id.isEmpty() ? "msg_" + randomId() : "msg_" + id;
  }

  /** For a tool call without an id (the deprecated function_call, some compatible servers). */
  static String toolUseId() {
    return "toolu_" + randomId();
  }

  private static String randomId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  @Override
  public StreamTranslator stream() {
    return new MessagesViaChatStream(null);
  }

  @Override
  public StreamTranslator stream(boolean includeUsage, byte[] clientRequest) {
    return new MessagesViaChatStream(clientRequest);
  }

  /** OpenAI refuses a {@code user} longer than this (400 "Invalid 'user': string too long"). */
  private static final int MAX_OPENAI_USER = 64;

  /**
   * The {@code user} for a {@code metadata.user_id}: as it is when it fits; else its SHA-256 in hex
   * (64 characters), still one stable id per user. Claude Code sends about 150 characters.
   */
  static String openAiUser(String userId) {
    if (userId.length() <= MAX_OPENAI_USER) {
      return userId;
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
