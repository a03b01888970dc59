package dev.llmrouter.testkit;

import static dev.llmrouter.testkit.WireShapes.JSON;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Builders for realistic server-sent event streams, to feed {@link Reply#sse(List)}. */
public final class Sse {

  private Sse() {}

  /**
   * An OpenAI Chat Completions stream: a role chunk, one chunk per text delta, a {@code
   * finish_reason:"stop"} chunk, a usage chunk with {@code "choices":[]}, then {@code data:
   * [DONE]}.
   */
  public static List<String> openAi(String... textDeltas) {
    String id = WireShapes.chatCompletionId();
    long created = Instant.now().getEpochSecond();
    String fingerprint = "fp_" + WireShapes.requestId().substring(4, 14);
    List<String> events = new ArrayList<>();

    ObjectNode role = openAiChunk(id, created, fingerprint);
    ObjectNode roleDelta = role.withArrayProperty("choices").addObject();
    roleDelta.put("index", 0);
    ObjectNode rd = roleDelta.putObject("delta");
    rd.put("role", "assistant");
    rd.put("content", "");
    rd.putNull("refusal");
    roleDelta.putNull("logprobs");
    roleDelta.putNull("finish_reason");
    events.add(data(role));

    for (String text : textDeltas) {
      ObjectNode chunk = openAiChunk(id, created, fingerprint);
      ObjectNode choice = chunk.withArrayProperty("choices").addObject();
      choice.put("index", 0);
      choice.putObject("delta").put("content", text);
      choice.putNull("logprobs");
      choice.putNull("finish_reason");
      events.add(data(chunk));
    }

    ObjectNode finish = openAiChunk(id, created, fingerprint);
    ObjectNode fc = finish.withArrayProperty("choices").addObject();
    fc.put("index", 0);
    fc.putObject("delta");
    fc.putNull("logprobs");
    fc.put("finish_reason", "stop");
    events.add(data(finish));

    ObjectNode usageChunk = openAiChunk(id, created, fingerprint);
    ObjectNode usage = usageChunk.putObject("usage");
    usage.put("prompt_tokens", 9);
    usage.put("completion_tokens", textDeltas.length);
    usage.put("total_tokens", 9 + textDeltas.length);
    events.add(data(usageChunk));

    events.add("data: [DONE]");
    return List.copyOf(events);
  }

  /**
   * An Anthropic Messages stream: {@code message_start}, {@code content_block_start}, {@code ping},
   * one {@code content_block_delta} ({@code text_delta}) per text delta, {@code
   * content_block_stop}, {@code message_delta} ({@code stop_reason:"end_turn"} plus usage), {@code
   * message_stop}.
   */
  public static List<String> anthropic(String... textDeltas) {
    List<String> events = new ArrayList<>();

    ObjectNode start = JSON.createObjectNode();
    start.put("type", "message_start");
    ObjectNode message = start.putObject("message");
    message.put("id", WireShapes.messageId());
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", WireShapes.ANTHROPIC_MODEL);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    ObjectNode startUsage = message.putObject("usage");
    startUsage.put("input_tokens", 12);
    startUsage.put("output_tokens", 1);
    events.add(event("message_start", start));

    ObjectNode blockStart = JSON.createObjectNode();
    blockStart.put("type", "content_block_start");
    blockStart.put("index", 0);
    ObjectNode block = blockStart.putObject("content_block");
    block.put("type", "text");
    block.put("text", "");
    events.add(event("content_block_start", blockStart));

    ObjectNode ping = JSON.createObjectNode();
    ping.put("type", "ping");
    events.add(event("ping", ping));

    for (String text : textDeltas) {
      ObjectNode delta = JSON.createObjectNode();
      delta.put("type", "content_block_delta");
      delta.put("index", 0);
      ObjectNode d = delta.putObject("delta");
      d.put("type", "text_delta");
      d.put("text", text);
      events.add(event("content_block_delta", delta));
    }

    ObjectNode blockStop = JSON.createObjectNode();
    blockStop.put("type", "content_block_stop");
    blockStop.put("index", 0);
    events.add(event("content_block_stop", blockStop));

    ObjectNode messageDelta = JSON.createObjectNode();
    messageDelta.put("type", "message_delta");
    ObjectNode md = messageDelta.putObject("delta");
    md.put("stop_reason", "end_turn");
    md.putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", Math.max(1, textDeltas.length));
    events.add(event("message_delta", messageDelta));

    ObjectNode stop = JSON.createObjectNode();
    stop.put("type", "message_stop");
    events.add(event("message_stop", stop));
    return List.copyOf(events);
  }

  /** An in-stream OpenAI error event: {@code data: {"error":{...}}} (with {@code code:null}). */
  public static String openAiError(String type, String message) {
    return data(WireShapes.openAiErrorNode(type, null, message));
  }

  /** An in-stream Anthropic error event: {@code event: error} with the error envelope. */
  public static String anthropicError(String type, String message) {
    return event("error", WireShapes.anthropicErrorNode(type, message));
  }

  private static ObjectNode openAiChunk(String id, long created, String fingerprint) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", WireShapes.OPENAI_MODEL);
    chunk.put("system_fingerprint", fingerprint);
    chunk.putArray("choices");
    chunk.putNull("usage");
    return chunk;
  }

  private static String data(ObjectNode node) {
    return "data: " + JSON.writeValueAsString(node);
  }

  private static String event(String name, ObjectNode node) {
    return "event: " + name + "\n" + data(node);
  }
}
