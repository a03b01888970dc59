package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.io.ByteArrayOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A whole answer as the stream its client asked for, for an upstream that ignored {@code "stream":
 * true} and answered with one JSON body. Sent as it is, that body is no stream at all: the official
 * SDKs read it as an event stream with no events and end with an empty answer and no error
 * (openai-node's {@code Stream} yields nothing), the one silent failure a router must not pass on.
 *
 * <p>The events are the ones the provider would have sent, with everything in one delta per content
 * block (PROTOCOLS.md 1.3 for chat chunks, 2.3 for Messages events), so the SDKs' accumulators
 * ({@code finalChatCompletion()}, {@code finalMessage()}, {@code finalResponse()}) rebuild the same
 * answer: Chat Completions, Messages, legacy completions and the Responses API (PROTOCOLS.md 6.3:
 * each output item added, its content whole, done; Codex takes the items of {@code
 * response.output_item.done} and waits for {@code response.completed}).
 */
public final class WholeAnswerStream {

  private WholeAnswerStream() {}

  /**
   * The stream for {@code answer} in {@code operation}'s protocol, or null when there is none to
   * make (another operation, or an answer that is not one JSON object of that API).
   *
   * @param includeUsage the OpenAI client asked for the usage chunk ({@code stream_options})
   */
  public static byte[] of(Operation operation, byte[] answer, boolean includeUsage) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(answer);
    } catch (JacksonException e) {
      return null;
    }
    if (!root.isObject()) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(answer.length * 2 + 256);
    boolean made =
        switch (operation) {
          case CHAT -> chat(root, includeUsage, out);
          case COMPLETIONS -> completions(root, includeUsage, out);
          case MESSAGES -> messages(root, out);
          case RESPONSES -> ResponsesReplay.of(root, out);
          default -> false;
        };
    return made ? out.toByteArray() : null;
  }

  private static boolean chat(JsonNode answer, boolean includeUsage, ByteArrayOutputStream out) {
    JsonNode choices = answer.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      return false;
    }
    for (JsonNode choice : choices) {
      JsonNode message = choice.path("message");
      ObjectNode first = chunk(answer, "chat.completion.chunk");
      ObjectNode c = first.putArray("choices").addObject();
      c.put("index", choice.path("index").asInt(0));
      ObjectNode delta = c.putObject("delta");
      delta.put("role", message.path("role").asString("assistant"));
      delta.put("content", message.path("content").asString(""));
      copyIfSet(message, delta, "refusal");
      copyIfSet(message, delta, "reasoning_content");
      JsonNode calls = message.path("tool_calls");
      if (calls.isArray() && !calls.isEmpty()) {
        ArrayNode deltas = delta.putArray("tool_calls");
        int i = 0;
        for (JsonNode call : calls) {
          ObjectNode d = deltas.addObject();
          d.put("index", i++);
          d.set("id", call.path("id"));
          d.put("type", call.path("type").asString("function"));
          d.set("function", call.path("function"));
        }
      }
      c.putNull("logprobs");
      c.putNull("finish_reason");
      write(out, null, first);
      ObjectNode last = chunk(answer, "chat.completion.chunk");
      ObjectNode l = last.putArray("choices").addObject();
      l.put("index", choice.path("index").asInt(0));
      l.putObject("delta");
      l.putNull("logprobs");
      l.set("finish_reason", choice.path("finish_reason"));
      write(out, null, last);
    }
    usageAndDone(answer, "chat.completion.chunk", includeUsage, out);
    return true;
  }

  private static boolean completions(
      JsonNode answer, boolean includeUsage, ByteArrayOutputStream out) {
    JsonNode choices = answer.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      return false;
    }
    for (JsonNode choice : choices) {
      ObjectNode chunk = chunk(answer, "text_completion");
      ObjectNode c = chunk.putArray("choices").addObject();
      c.put("index", choice.path("index").asInt(0));
      c.put("text", choice.path("text").asString(""));
      c.putNull("logprobs");
      c.set("finish_reason", choice.path("finish_reason"));
      write(out, null, chunk);
    }
    usageAndDone(answer, "text_completion", includeUsage, out);
    return true;
  }

  /** The usage chunk when asked for ({@code "choices": []}, PROTOCOLS.md 1.3), then [DONE]. */
  private static void usageAndDone(
      JsonNode answer, String object, boolean includeUsage, ByteArrayOutputStream out) {
    if (includeUsage && answer.path("usage").isObject()) {
      ObjectNode usage = chunk(answer, object);
      usage.putArray("choices");
      usage.set("usage", answer.path("usage"));
      write(out, null, usage);
    }
    out.writeBytes(SseFraming.event(null, "[DONE]"));
  }

  /** A chunk's head as the answer's: id, object, created, model, system_fingerprint. */
  private static ObjectNode chunk(JsonNode answer, String object) {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.set("id", answer.path("id"));
    chunk.put("object", object);
    chunk.set("created", answer.path("created"));
    chunk.set("model", answer.path("model"));
    copyIfSet(answer, chunk, "system_fingerprint");
    return chunk;
  }

  private static boolean messages(JsonNode answer, ByteArrayOutputStream out) {
    if (!"message".equals(answer.path("type").asString("")) || !answer.path("content").isArray()) {
      return false;
    }
    ObjectNode start = Json.MAPPER.createObjectNode();
    start.put("type", "message_start");
    ObjectNode message = start.putObject("message");
    message.set("id", answer.path("id"));
    message.put("type", "message");
    message.put("role", "assistant");
    message.set("model", answer.path("model"));
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    message.set("usage", answer.path("usage"));
    write(out, "message_start", start);
    int index = 0;
    for (JsonNode block : answer.path("content")) {
      block(index++, block, out);
    }
    ObjectNode delta = Json.MAPPER.createObjectNode();
    delta.put("type", "message_delta");
    ObjectNode d = delta.putObject("delta");
    d.set("stop_reason", answer.path("stop_reason"));
    d.set("stop_sequence", answer.path("stop_sequence"));
    delta.set("usage", answer.path("usage"));
    write(out, "message_delta", delta);
    write(out, "message_stop", Json.MAPPER.createObjectNode().put("type", "message_stop"));
    return true;
  }

  /** One content block: its start (empty), its whole content as one delta, its stop. */
  private static void block(int index, JsonNode block, ByteArrayOutputStream out) {
    String type = block.path("type").asString("");
    ObjectNode start = Json.MAPPER.createObjectNode();
    start.put("type", "content_block_start");
    start.put("index", index);
    ObjectNode delta = null;
    switch (type) {
      case "text" -> {
        start.putObject("content_block").put("type", "text").put("text", "");
        delta = Json.MAPPER.createObjectNode().put("type", "text_delta");
        delta.set("text", block.path("text"));
      }
      case "tool_use" -> {
        ObjectNode content = start.putObject("content_block");
        content.put("type", "tool_use");
        content.set("id", block.path("id"));
        content.set("name", block.path("name"));
        content.putObject("input");
        delta = Json.MAPPER.createObjectNode().put("type", "input_json_delta");
        delta.put("partial_json", Json.MAPPER.writeValueAsString(block.path("input")));
      }
      case "thinking" -> {
        start.putObject("content_block").put("type", "thinking").put("thinking", "");
        delta = Json.MAPPER.createObjectNode().put("type", "thinking_delta");
        delta.set("thinking", block.path("thinking"));
      }
      default -> start.set("content_block", block); // redacted thinking and the like: whole
    }
    write(out, "content_block_start", start);
    if (delta != null) {
      blockDelta(index, delta, out);
    }
    if (type.equals("thinking") && block.path("signature").isString()) {
      ObjectNode signature = Json.MAPPER.createObjectNode().put("type", "signature_delta");
      signature.set("signature", block.path("signature"));
      blockDelta(index, signature, out);
    }
    ObjectNode stop = Json.MAPPER.createObjectNode();
    stop.put("type", "content_block_stop");
    stop.put("index", index);
    write(out, "content_block_stop", stop);
  }

  private static void blockDelta(int index, ObjectNode delta, ByteArrayOutputStream out) {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("type", "content_block_delta");
    event.put("index", index);
    event.set("delta", delta);
    write(out, "content_block_delta", event);
  }

  private static void copyIfSet(JsonNode from, ObjectNode to, String field) {
    JsonNode value = from.get(field);
    if (value != null && !value.isNull()) {
      to.set(field, value);
    }
  }

  static void write(ByteArrayOutputStream out, String name, JsonNode data) {
    out.writeBytes(SseFraming.event(name, Json.MAPPER.writeValueAsString(data)));
  }
}
