package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OpenAI Chat Completions client served by an Anthropic Messages provider (PROTOCOLS.md 5). The
 * request is {@link ChatViaMessagesRequest}'s, the stream {@link ChatViaMessagesStream}'s; the
 * answer and error shapes, which both of those share, are here.
 */
final class ChatViaMessages implements Translator {

  static final ChatViaMessages INSTANCE = new ChatViaMessages(InstantSource.system());

  /** Longest upstream error text passed on when the body is not a JSON error (an HTML page). */
  private static final int MAX_RAW_MESSAGE = 1000;

  /** For {@code created}, which OpenAI gives in seconds and Messages not at all. */
  private final InstantSource clock;

  ChatViaMessages(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public Api client() {
    return Api.OPENAI;
  }

  @Override
  public Api provider() {
    return Api.ANTHROPIC;
  }

  @Override
  public byte[] request(byte[] clientBody, String model, int maxTokens) throws NotTranslatable {
    return ChatViaMessagesRequest.translate(clientBody, model, maxTokens);
  }

  /**
   * A Messages answer as a {@code chat.completion} (PROTOCOLS.md 5.2): text blocks joined into
   * {@code content}, {@code tool_use} blocks as {@code tool_calls} with their ids kept (the next
   * turn's tool results name them). Thinking blocks are not passed on: Chat Completions has no
   * place for them, and an OpenAI client could not send them back.
   *
   * @throws IllegalArgumentException when the body is not a Message (a JSON object whose {@code
   *     content} is an array)
   */
  @Override
  public byte[] response(byte[] providerBody) {
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(providerBody);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the provider's answer is not JSON", e);
    }
    // A Message has its blocks in "content" (PROTOCOLS.md 2.2); anything else (a queued job, an
    // empty object) would become an empty answer passed on as a success.
    if (!message.isObject()
        || !message.path("content").isArray()
        || !message.path("type").asString("message").equals("message")) {
      throw new IllegalArgumentException("the provider's answer is not a Message");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", completionId(message.path("id").asString("")));
    out.put("object", "chat.completion");
    out.put("created", clock.instant().getEpochSecond());
    out.put("model", message.path("model").asString(""));
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode answer = choice.putObject("message");
    answer.put("role", "assistant");
    StringBuilder text = null;
    ArrayNode toolCalls = null;
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asString("")) {
        case "text" -> {
          String t = block.path("text").asString("");
          text = text == null ? new StringBuilder(t) : text.append(t);
        }
        case "tool_use" -> {
          if (toolCalls == null) {
            toolCalls = Json.MAPPER.createArrayNode();
          }
          ToolCalls.addOpenAiCall(toolCalls, block);
        }
        default -> {} // thinking, redacted_thinking: no counterpart (see above)
      }
    }
    answer.put("content", text == null ? null : text.toString());
    answer.putNull("refusal");
    if (toolCalls != null) {
      answer.set("tool_calls", toolCalls);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(message.path("stop_reason").asString("")));
    out.set("usage", usage(message.path("usage")));
    return Json.MAPPER.writeValueAsBytes(out);
  }

  @Override
  public byte[] error(int status, byte[] providerBody) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(providerBody);
    } catch (JacksonException e) {
      body = Json.MAPPER.missingNode();
    }
    String message = message(body);
    if (message == null) {
      message = rawMessage(status, new String(providerBody, StandardCharsets.UTF_8));
    }
    return Json.MAPPER.writeValueAsBytes(errorBody(status, message));
  }

  @Override
  public StreamTranslator stream() {
    return new ChatViaMessagesStream(clock, true);
  }

  @Override
  public StreamTranslator stream(boolean includeUsage) {
    return new ChatViaMessagesStream(clock, includeUsage);
  }

  /**
   * An OpenAI id for a Messages id: the same id behind {@code chatcmpl-}, so the two can be matched
   * in logs; a random one when the provider gave none.
   */
  static String completionId(String messageId) {
    return "chatcmpl-"
        + (messageId.isEmpty()
            ? Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
            : messageId);
  }

  /** {@code stop_reason} as {@code finish_reason} (PROTOCOLS.md 5.2). */
  static String finishReason(String stopReason) {
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      // end_turn, stop_sequence; pause_turn only follows server tools, which no chat request asks.
      default -> "stop";
    };
  }

  /**
   * Messages usage as OpenAI usage. OpenAI counts cached tokens inside {@code prompt_tokens}, while
   * Claude's {@code input_tokens} leaves out cache reads and writes: the prompt is all three
   * (PROTOCOLS.md 5.2).
   */
  static ObjectNode usage(long input, long cacheWrite, long cacheRead, long output) {
    ObjectNode usage = Json.MAPPER.createObjectNode();
    long prompt = input + cacheWrite + cacheRead;
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", output);
    usage.put("total_tokens", prompt + output);
    ObjectNode details = usage.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
    if (cacheWrite > 0) {
      // PROTOCOLS.md 5.2; what MessagesViaChat reads back, so a chain of routers keeps the cost.
      details.put("cache_write_tokens", cacheWrite);
    }
    return usage;
  }

  private static ObjectNode usage(JsonNode usage) {
    return usage(
        usage.path("input_tokens").asLong(0),
        usage.path("cache_creation_input_tokens").asLong(0),
        usage.path("cache_read_input_tokens").asLong(0),
        usage.path("output_tokens").asLong(0));
  }

  /**
   * An OpenAI error body for the provider's error of this status: the SDKs pick the error class
   * from the status alone, which the caller keeps; {@code type} and {@code code} follow OpenAI's
   * own for the same status (PROTOCOLS.md 5.6), with the codes clients act on where the message
   * shows one.
   */
  static ObjectNode errorBody(int status, String message) {
    String type = "invalid_request_error";
    String code = null;
    switch (status) {
      case 400 -> {
        if (message.startsWith("prompt is too long")) {
          code = "context_length_exceeded"; // what OpenAI clients look for to shorten the prompt
        }
      }
      case 401 -> code = "invalid_api_key";
      case 402 -> {
        type = "insufficient_quota"; // OpenAI's name for a billing state (a 429 there)
        code = "insufficient_quota";
      }
      case 404 -> {
        if (message.startsWith("model:")) { // Anthropic's "model: claude-x"
          code = "model_not_found";
        }
      }
      case 413 -> code = "request_too_large";
      case 429 -> {
        type = ErrorKind.RATE_LIMITED.openAiType;
        code = ErrorKind.RATE_LIMITED.openAiCode;
      }
      default -> {
        if (status >= 500 || status < 400) {
          type = "server_error"; // 500, 504, Anthropic's 529 overloaded
        }
      }
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    error.put("code", code);
    return root;
  }

  /**
   * The provider's own words: Anthropic's {@code error.message} (also OpenAI's, for a provider that
   * answers in that shape), a string {@code error}, or a top-level {@code message}; null for none.
   */
  static String message(JsonNode body) {
    JsonNode error = body.path("error");
    for (JsonNode candidate : new JsonNode[] {error.path("message"), error, body.path("message")}) {
      if (candidate.isString() && !candidate.stringValue().isEmpty()) {
        return candidate.stringValue();
      }
    }
    return null;
  }

  /** What a body that is not a JSON error says (an HTML page from a proxy), capped. */
  static String rawMessage(int status, String text) {
    String stripped = text == null ? "" : text.strip();
    if (stripped.isEmpty()) {
      return "the provider answered HTTP " + status;
    }
    return stripped.length() > MAX_RAW_MESSAGE
        ? Json.cut(stripped, MAX_RAW_MESSAGE) + "…"
        : stripped;
  }
}
