package dev.llmrouter.mock;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.ErrorKind;
import dev.llmrouter.wire.SseFraming;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Realistic response bodies and stream events of both APIs (PROTOCOLS.md 1.2, 1.3, 2.2, 2.3). */
public final class MockBodies {

  public static final String TEXT = "Hello from the mock provider.";

  /** {@link #TEXT} in the pieces a stream sends it in, one per word; also its output tokens. */
  static final List<String> PIECES = List.of(TEXT.split("(?<= )"));

  private static final AtomicLong IDS = new AtomicLong();

  private MockBodies() {}

  /** The answer to a chat or messages request: the completion, or its stream. */
  static MockReply reply(Api api, JsonNode request) {
    String model = request.path("model").asString("mock-model");
    boolean usage = request.path("stream_options").path("include_usage").asBoolean(false);
    return request.path("stream").asBoolean(false)
        ? new MockReply.Stream(streamEvents(api, model, usage))
        : MockReply.ok(completion(api, model));
  }

  /** A complete non-streaming 200 body answering {@link #TEXT}. */
  public static byte[] completion(Api api, String model) {
    return completion(api, model, TEXT);
  }

  /** A complete non-streaming 200 body whose assistant text is {@code text}. */
  public static byte[] completion(Api api, String model, String text) {
    long id = IDS.incrementAndGet();
    ObjectNode root = Json.MAPPER.createObjectNode();
    switch (api) {
      case OPENAI -> {
        root.put("id", "chatcmpl-mock" + id);
        root.put("object", "chat.completion");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        openAiUsage(root, 9, 1);
      }
      case ANTHROPIC -> {
        root.put("id", "msg_mock" + id);
        root.put("type", "message");
        root.put("role", "assistant");
        root.put("model", model);
        ObjectNode block = root.putArray("content").addObject();
        block.put("type", "text");
        block.put("text", text);
        root.put("stop_reason", "end_turn");
        root.putNull("stop_sequence");
        ObjectNode usage = root.putObject("usage");
        usage.put("input_tokens", 12);
        usage.put("output_tokens", 6);
      }
    }
    return Json.MAPPER.writeValueAsBytes(root);
  }

  /** An error body in the API's own shape, as the real provider sends for this status. */
  public static byte[] error(Api api, int status, String message) {
    ErrorKind kind =
        switch (status) {
          case 429 -> ErrorKind.RATE_LIMITED;
          case 404 -> ErrorKind.NOT_FOUND;
          case 400 -> ErrorKind.INVALID_REQUEST;
          case 503 -> ErrorKind.UNAVAILABLE;
          default -> ErrorKind.INTERNAL;
        };
    return api.errorBody(kind, message);
  }

  /**
   * An OpenAI error body with its own {@code param} and {@code code}, for the errors whose fields
   * name the request field at fault (PROTOCOLS.md 1.4).
   */
  static byte[] openAiError(String message, String type, String param, String code) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("param", param);
    error.put("code", code);
    return Json.MAPPER.writeValueAsBytes(root);
  }

  /**
   * Each complete SSE event, framed by {@link SseFraming#event}. With {@code usage} (OpenAI's
   * {@code stream_options.include_usage}) every chunk carries {@code "usage":null} and a last
   * {@code "choices":[]} chunk before {@code [DONE]} carries it, as OpenAI sends them.
   */
  static List<byte[]> streamEvents(Api api, String model, boolean usage) {
    long id = IDS.incrementAndGet();
    String[] words = PIECES.toArray(String[]::new);
    return switch (api) {
      case OPENAI -> openAiEvents("chatcmpl-mock" + id, model, words, usage);
      case ANTHROPIC -> anthropicEvents("msg_mock" + id, model, words);
    };
  }

  private static List<byte[]> openAiEvents(String id, String model, String[] words, boolean usage) {
    List<byte[]> events = new java.util.ArrayList<>();
    events.add(openAiChunk(id, model, "role", "assistant", null, usage));
    for (String w : words) {
      events.add(openAiChunk(id, model, "content", w, null, usage));
    }
    events.add(openAiChunk(id, model, null, null, "stop", usage));
    if (usage) {
      ObjectNode chunk = chunk(id, model);
      chunk.putArray("choices");
      openAiUsage(chunk, 9, words.length);
      events.add(SseFraming.event(null, Json.MAPPER.writeValueAsString(chunk)));
    }
    events.add(SseFraming.event(null, "[DONE]"));
    return events;
  }

  private static byte[] openAiChunk(
      String id, String model, String field, String value, String finish, boolean usage) {
    ObjectNode chunk = chunk(id, model);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode delta = choice.putObject("delta");
    if (field != null) {
      delta.put(field, value);
    }
    choice.put("finish_reason", finish);
    if (usage) {
      chunk.putNull("usage");
    }
    return SseFraming.event(null, Json.MAPPER.writeValueAsString(chunk));
  }

  /** OpenAI's {@code usage} of a chat or legacy completion, put on {@code body}. */
  static void openAiUsage(ObjectNode body, int prompt, int completion) {
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
  }

  private static ObjectNode chunk(String id, String model) {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", System.currentTimeMillis() / 1000);
    chunk.put("model", model);
    return chunk;
  }

  private static List<byte[]> anthropicEvents(String id, String model, String[] words) {
    List<byte[]> events = new java.util.ArrayList<>();
    ObjectNode start = Json.MAPPER.createObjectNode();
    start.put("type", "message_start");
    ObjectNode message = start.putObject("message");
    message.put("id", id);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", 12).put("output_tokens", 1);
    events.add(event("message_start", start));
    ObjectNode blockStart =
        Json.MAPPER.createObjectNode().put("type", "content_block_start").put("index", 0);
    blockStart.putObject("content_block").put("type", "text").put("text", "");
    events.add(event("content_block_start", blockStart));
    events.add(event("ping", Json.MAPPER.createObjectNode().put("type", "ping")));
    for (String w : words) {
      ObjectNode delta =
          Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", 0);
      delta.putObject("delta").put("type", "text_delta").put("text", w);
      events.add(event("content_block_delta", delta));
    }
    events.add(
        event(
            "content_block_stop",
            Json.MAPPER.createObjectNode().put("type", "content_block_stop").put("index", 0)));
    ObjectNode messageDelta = Json.MAPPER.createObjectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", words.length);
    events.add(event("message_delta", messageDelta));
    events.add(event("message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop")));
    return events;
  }

  private static byte[] event(String name, ObjectNode data) {
    return SseFraming.event(name, Json.MAPPER.writeValueAsString(data));
  }
}
