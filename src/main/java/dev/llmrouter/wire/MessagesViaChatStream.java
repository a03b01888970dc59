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

  /** The provider's tool call index to the call last given that index. */
  private final Map<Integer, ToolCall> calls = new HashMap<>(4);

  /** The tool call whose block is open, or null. */
  private ToolCall live;

  /** Calls that started while another streamed, in order: given their blocks at the end. */
  private final List<ToolCall> held = new ArrayList<>(2);

  /**
   * The most argument text held: past it, the held calls get their blocks at once (a fragment of
   * the call they interrupted may then follow its block's stop). A stream is relayed with bounded
   * memory, whatever a provider sends.
   */
  static final int MAX_HELD_CHARS = SseFraming.FREE_EVENT_BYTES;

  private int heldChars;

  private boolean anyCall;
  private int lastCall = -1;
  private String finishReason;
  private JsonNode usage;

  /** An error event of the translator's went out: the client's stream is over. */
  private boolean failed;

  /** The client's request, for a tool name shortened for the provider; null: names as they come. */
  private final byte[] clientRequest;

  MessagesViaChatStream(byte[] clientRequest) {
    this.clientRequest = clientRequest;
  }

  @Override
  public List<SseFraming.Event> translate(SseFraming.Event providerEvent) {
    String data = providerEvent.data();
    if (!finished && "error".equals(providerEvent.name())) {
      return namedError(providerEvent); // before the data checks: it may come with none
    }
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

  /** A delta's text: a string, or text parts as some compatible servers send them. */
  private void text(JsonNode content, List<SseFraming.Event> out) {
    String text =
        content != null && (content.isString() || content.isArray())
            ? MessagesViaChat.text(content)
            : "";
    if (text.isEmpty()) {
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
    root.putObject("delta").put("type", "text_delta").put("text", text);
    out.add(event("content_block_delta", root));
  }

  /**
   * One entry of {@code delta.tool_calls}. A call's first entry (the one with its id and name)
   * starts it; later entries add argument fragments. OpenAI sends calls one after another: when the
   * next starts, the last one's arguments are a whole JSON value, and its block can stop. A server
   * that interleaves them (all calls' starts first, then their fragments) would otherwise send a
   * fragment to a block already stopped, which the Vercel AI SDK drops (it takes a call's input at
   * its content_block_stop): a call that starts while the live one is unfinished is held, and given
   * its block, whole, at the end.
   */
  private void toolCall(JsonNode entry, List<SseFraming.Event> out) {
    JsonNode function = entry.path("function");
    JsonNode idNode = entry.get("id");
    String id = idNode != null && idNode.isString() ? idNode.stringValue() : "";
    int key;
    if (entry.path("index").canConvertToInt()) {
      key = entry.path("index").asInt();
    } else if (!id.isEmpty() || lastCall < 0) {
      key = lastCall + 1; // a server that numbers no calls: each id is a new one
    } else {
      key = lastCall;
    }
    ToolCall call = calls.get(key);
    // Ollama numbers every call of a parallel batch 0 (ollama#15457): a new id is a new call.
    if (call == null || (!id.isEmpty() && !call.id.isEmpty() && !id.equals(call.id))) {
      call =
          new ToolCall(id, ToolNames.original(function.path("name").asString(""), clientRequest));
      calls.put(key, call);
      lastCall = Math.max(lastCall, key);
      anyCall = true;
      if (live != null && (!live.arguments.whole() || !held.isEmpty())) {
        held.add(call);
      } else {
        begin(call, out);
      }
    }
    JsonNode arguments = function.get("arguments");
    if (arguments != null && arguments.isString() && !arguments.stringValue().isEmpty()) {
      String fragment = arguments.stringValue();
      call.arguments.add(fragment);
      if (call.block < 0) {
        call.heldArguments.append(fragment);
        heldChars += fragment.length();
        if (heldChars > MAX_HELD_CHARS) {
          releaseHeld(out);
        }
      } else {
        inputDelta(call.block, fragment, out);
      }
    }
  }

  /** Stops the open block and starts the call's. */
  private void begin(ToolCall call, List<SseFraming.Event> out) {
    close(out);
    call.block = nextIndex++;
    openIndex = call.block;
    openIsText = false;
    live = call;
    ObjectNode root = blockEvent("content_block_start", call.block);
    ObjectNode content = root.putObject("content_block");
    content.put("type", "tool_use");
    content.put(
        "id", call.id.isEmpty() ? MessagesViaChat.toolUseId() : ToolCalls.anthropicId(call.id));
    content.put("name", call.name);
    content.putObject("input");
    out.add(event("content_block_start", root));
  }

  private void inputDelta(int block, String fragment, List<SseFraming.Event> out) {
    ObjectNode root = blockEvent("content_block_delta", block);
    root.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
    out.add(event("content_block_delta", root));
  }

  /** The held calls, each a whole block, after the open one. */
  private void releaseHeld(List<SseFraming.Event> out) {
    for (ToolCall call : held) {
      begin(call, out);
      if (!call.heldArguments.isEmpty()) {
        inputDelta(call.block, call.heldArguments.toString(), out);
        call.heldArguments.setLength(0);
        call.heldArguments.trimToSize();
      }
    }
    held.clear();
    heldChars = 0;
  }

  private void close(List<SseFraming.Event> out) {
    if (openIndex >= 0) {
      out.add(event("content_block_stop", blockEvent("content_block_stop", openIndex)));
      openIndex = -1;
      live = null;
    }
  }

  /** {@code [DONE]}: the open block's stop, one message_delta with everything, message_stop. */
  private List<SseFraming.Event> finish() {
    finished = true;
    List<SseFraming.Event> out = new ArrayList<>(4);
    if (!started) {
      start(Json.MAPPER.missingNode(), out);
    }
    releaseHeld(out);
    close(out);
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "message_delta");
    ObjectNode delta = root.putObject("delta");
    delta.put("stop_reason", MessagesViaChat.stopReason(finishReason, anyCall));
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

  /**
   * An event named {@code error} (openai-node throws on it whatever its data): read as the OpenAI
   * error body it stands for ({@link Operation#errorEventBody}), it ends the client's stream with
   * the client's own error event.
   */
  private List<SseFraming.Event> namedError(SseFraming.Event providerEvent) {
    JsonNode error =
        Json.MAPPER.readTree(Operation.CHAT.errorEventBody(providerEvent)).path("error");
    return fail(
        MessagesViaChat.errorType(Api.OPENAI.errorEventStatus(providerEvent)), errorMessage(error));
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

  /** One tool call of the provider's. */
  private static final class ToolCall {
    final String id;
    final String name;
    final WholeValue arguments = new WholeValue();

    /** Its tool_use block's index once started, or -1 while held. */
    int block = -1;

    /** Its arguments while held. */
    final StringBuilder heldArguments = new StringBuilder();

    ToolCall(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  /**
   * Whether JSON text fed in fragments is one whole value so far: nesting and strings tracked, no
   * more. Enough to tell a call whose arguments are finished from one still being streamed.
   */
  static final class WholeValue {
    private int depth;
    private boolean inString;
    private boolean escaped;
    private boolean started;

    void add(String fragment) {
      for (int i = 0; i < fragment.length(); i++) {
        char c = fragment.charAt(i);
        if (inString) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
          started = true;
        } else if (c == '{' || c == '[') {
          depth++;
          started = true;
        } else if (c == '}' || c == ']') {
          depth--;
        } else if (!Character.isWhitespace(c)) {
          started = true;
        }
      }
    }

    boolean whole() {
      return started && depth <= 0 && !inString;
    }
  }
}
