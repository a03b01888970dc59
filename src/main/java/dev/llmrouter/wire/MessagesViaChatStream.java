package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI chat chunks as Anthropic stream events, one chunk at a time (PROTOCOLS.md 5.3, 5.4): a
 * small state machine of the one open content block, the block each tool call got, and what the
 * last events will say (stop reason, usage).
 *
 * <p>What the Anthropic SDKs' accumulators require (PROTOCOLS.md 5.5) shapes it: {@code
 * message_start} first and once; a {@code content_block_start} before any delta of its index; each
 * block stopped before the next starts, indexes from 0 in start order; every count in the one
 * closing {@code message_delta}, since OpenAI reports usage only at the end (the SDKs copy its
 * {@code input_tokens} and cache counts into the final message).
 *
 * <p>The closing events come on {@code [DONE]} only, as the usage chunk comes just before it; a
 * provider that ends its stream without {@code [DONE]} leaves the ending to the relay.
 */
final class MessagesViaChatStream implements StreamTranslator {

  private static final List<SseFraming.Event> NONE = List.of();

  private boolean started;
  private boolean finished;
  private int nextIndex;

  /** The open block's index, or -1. */
  private int openIndex = -1;

  private boolean openIsText;

  /** OpenAI's tool call index to the index of the tool_use block it was given. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>(4);

  private int lastCall = -1;
  private String finishReason;
  private JsonNode usage;

  /** An error event of the translator's went out: the client's stream is over. */
  private boolean failed;

  @Override
  public List<SseFraming.Event> translate(SseFraming.Event providerEvent) {
    String data = providerEvent.data();
    if (finished || data == null || data.isEmpty()) {
      return NONE; // after the end or an error nothing follows; comments carry nothing
    }
    if (Api.OPENAI.isFinalEvent(providerEvent)) {
      return finish();
    }
    JsonNode chunk;
    try {
      chunk = Json.MAPPER.readTree(data);
    } catch (JacksonException e) {
      return fail("api_error", "the provider sent a stream chunk that is not JSON");
    }
    JsonNode error = chunk.get("error");
    if (error != null) {
      int status = Api.OPENAI.errorEventStatus(providerEvent); // 0 for a falsy "error"
      if (status != 0) {
        return fail(MessagesViaChat.errorType(status), errorMessage(error));
      }
    }
    JsonNode choices = chunk.get("choices");
    JsonNode choice = choices != null && choices.isArray() ? choices.get(0) : null;
    JsonNode chunkUsage = chunk.get("usage");
    boolean hasUsage = chunkUsage != null && chunkUsage.isObject();
    if (choice == null && !hasUsage) {
      return NONE; // Azure's opening prompt_filter_results chunk: no id, no model, no choice
    }
    List<SseFraming.Event> out = new ArrayList<>(4);
    if (!started) {
      start(chunk, out);
    }
    if (hasUsage) {
      usage = chunkUsage; // the usage chunk; with vLLM's continuous stats, the last one counts
    }
    if (choice != null) {
      JsonNode delta = choice.path("delta");
      // reasoning_content (DeepSeek, vLLM) and other extra delta fields are not read: dropped.
      text(delta.get("content"), out);
      text(delta.get("refusal"), out);
      JsonNode calls = delta.get("tool_calls");
      if (calls != null && calls.isArray()) {
        for (JsonNode call : calls) {
          toolCall(call, out);
        }
      }
      JsonNode reason = choice.get("finish_reason");
      if (reason != null && reason.isString()) {
        finishReason = reason.stringValue();
      }
    }
    return out;
  }

  private void start(JsonNode chunk, List<SseFraming.Event> out) {
    started = true;
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "message_start");
    ObjectNode message = root.putObject("message");
    message.put("id", MessagesViaChat.messageId(chunk.path("id").asString("")));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", chunk.path("model").asString(""));
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    // Unknown until the usage chunk; the closing message_delta carries the real counts.
    message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
    out.add(event("message_start", root));
  }

  private void text(JsonNode text, List<SseFraming.Event> out) {
    if (text == null || !text.isString() || text.stringValue().isEmpty()) {
      return; // the role chunk's "" opens no block
    }
    if (openIndex < 0 || !openIsText) {
      close(out);
      openIndex = nextIndex++;
      openIsText = true;
      ObjectNode root = blockEvent("content_block_start", openIndex);
      root.putObject("content_block").put("type", "text").put("text", "");
      out.add(event("content_block_start", root));
    }
    ObjectNode root = blockEvent("content_block_delta", openIndex);
    root.putObject("delta").put("type", "text_delta").put("text", text.stringValue());
    out.add(event("content_block_delta", root));
  }

  /**
   * One entry of {@code delta.tool_calls}. A call's first entry (the one with its id and name)
   * starts its block; later entries add argument fragments as they come. OpenAI sends calls one
   * after another; should a provider interleave them, a late fragment still goes to its own call's
   * block, where the SDKs' accumulators (which look blocks up by index) put it.
   */
  private void toolCall(JsonNode call, List<SseFraming.Event> out) {
    JsonNode function = call.path("function");
    JsonNode id = call.get("id");
    int key;
    if (call.path("index").canConvertToInt()) {
      key = call.path("index").asInt();
    } else if ((id != null && id.isString()) || lastCall < 0) {
      key = lastCall + 1; // a server that numbers no calls: each id is a new one
    } else {
      key = lastCall;
    }
    Integer block = toolBlocks.get(key);
    if (block == null) {
      close(out);
      block = nextIndex++;
      toolBlocks.put(key, block);
      lastCall = Math.max(lastCall, key);
      openIndex = block;
      openIsText = false;
      ObjectNode root = blockEvent("content_block_start", block);
      ObjectNode content = root.putObject("content_block");
      content.put("type", "tool_use");
      String callId = id != null && id.isString() ? id.stringValue() : "";
      content.put(
          "id", callId.isEmpty() ? MessagesViaChat.toolUseId() : ToolCalls.anthropicId(callId));
      content.put("name", function.path("name").asString(""));
      content.putObject("input");
      out.add(event("content_block_start", root));
    }
    JsonNode arguments = function.get("arguments");
    if (arguments != null && arguments.isString() && !arguments.stringValue().isEmpty()) {
      ObjectNode root = blockEvent("content_block_delta", block);
      root.putObject("delta")
          .put("type", "input_json_delta")
          .put("partial_json", arguments.stringValue());
      out.add(event("content_block_delta", root));
    }
  }

  private void close(List<SseFraming.Event> out) {
    if (openIndex >= 0) {
      out.add(event("content_block_stop", blockEvent("content_block_stop", openIndex)));
      openIndex = -1;
    }
  }

  /** {@code [DONE]}: the open block's stop, one message_delta with everything, message_stop. */
  private List<SseFraming.Event> finish() {
    finished = true;
    List<SseFraming.Event> out = new ArrayList<>(4);
    if (!started) {
      start(Json.MAPPER.missingNode(), out);
    }
    close(out);
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "message_delta");
    ObjectNode delta = root.putObject("delta");
    delta.put("stop_reason", MessagesViaChat.stopReason(finishReason, !toolBlocks.isEmpty()));
    delta.putNull("stop_sequence");
    MessagesViaChat.usage(
        usage == null ? Json.MAPPER.missingNode() : usage, root.putObject("usage"));
    out.add(event("message_delta", root));
    ObjectNode stop = Json.MAPPER.createObjectNode();
    stop.put("type", "message_stop");
    out.add(event("message_stop", stop));
    return out;
  }

  @Override
  public boolean failed() {
    return failed;
  }

  @Override
  public boolean ended() {
    return finished;
  }

  /** The one error event the Anthropic SDKs raise on; nothing follows it. */
  private List<SseFraming.Event> fail(String type, String message) {
    finished = true;
    failed = true;
    byte[] body = MessagesViaChat.errorBody(type, message);
    String data = new String(body, StandardCharsets.UTF_8);
    return List.of(new SseFraming.Event(SseFraming.event("error", data), "error", data));
  }

  private static String errorMessage(JsonNode error) {
    if (error.isString()) {
      return error.stringValue();
    }
    String message = error.path("message").asString("");
    return message.isEmpty() ? "the provider reported an error in the stream" : message;
  }

  private static ObjectNode blockEvent(String type, int index) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", type);
    root.put("index", index);
    return root;
  }

  private static SseFraming.Event event(String name, ObjectNode root) {
    String data = Json.MAPPER.writeValueAsString(root);
    return new SseFraming.Event(SseFraming.event(name, data), name, data);
  }
}
