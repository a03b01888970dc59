package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Messages event stream (PROTOCOLS.md 2.3, 5.3) as Chat Completions chunks (1.3, 5.4), one event
 * at a time. What the OpenAI SDK accumulators need (5.5) shapes it: every chunk has the same {@code
 * id}, {@code created} and {@code model}; the first carries {@code role}; a tool call's first delta
 * carries its {@code index}, {@code id}, {@code type} and {@code function.name}, later ones only
 * {@code index} and an {@code arguments} fragment; the choice always gets a {@code finish_reason}.
 *
 * <p>Thinking blocks, {@code ping} and event types this class does not know give the client
 * nothing. A usage chunk ({@code "choices":[]}) comes before {@code [DONE]} when {@code
 * includeUsage}; an Anthropic {@code error} event becomes one OpenAI error chunk, and nothing
 * follows it.
 */
final class ChatViaMessagesStream implements StreamTranslator {

  private static final String DONE_DATA = "[DONE]";
  private static final SseFraming.Event DONE =
      new SseFraming.Event(SseFraming.event(null, DONE_DATA), null, DONE_DATA);

  /** One content block of the provider: its tool call's index, or -1 for text, -2 for others. */
  private static final class Block {
    static final int TEXT = -1;
    static final int OTHER = -2;

    final int toolIndex;

    /** A tool_use start may carry its whole input, when a server sends no input_json_delta. */
    final JsonNode startInput;

    boolean argumentsSent;

    Block(int toolIndex, JsonNode startInput) {
      this.toolIndex = toolIndex;
      this.startInput = startInput;
    }
  }

  private final InstantSource clock;
  private final boolean includeUsage;
  private final Map<Integer, Block> blocks = new HashMap<>();

  /** Null until the stream has started (normally at message_start). */
  private String id;

  private String model = "";
  private long created;
  private long inputTokens;
  private long cacheWriteTokens;
  private long cacheReadTokens;
  private long outputTokens;

  /** Tool calls so far: the next one's {@code index}. */
  private int toolCalls;

  private boolean finishSent;

  /** [DONE] or an error went out: the client's stream is over. */
  private boolean ended;

  /** The error, of the two: {@link #failed()}. */
  private boolean failed;

  ChatViaMessagesStream(InstantSource clock, boolean includeUsage) {
    this.clock = clock;
    this.includeUsage = includeUsage;
  }

  @Override
  public List<SseFraming.Event> translate(SseFraming.Event providerEvent) {
    if (ended || providerEvent.isCommentOnly()) {
      return List.of();
    }
    JsonNode data;
    try {
      String text = providerEvent.data();
      data = text == null ? Json.MAPPER.missingNode() : Json.MAPPER.readTree(text);
    } catch (JacksonException e) {
      // Dropping it could drop text silently; a broken stream must look broken.
      return fail(502, "the provider sent an event that is not JSON");
    }
    String name = providerEvent.name();
    String type = name != null ? name : data.path("type").asString("");
    return switch (type) {
      case "message_start" -> start(data.path("message"));
      case "content_block_start" -> blockStart(data);
      case "content_block_delta" -> blockDelta(data);
      case "content_block_stop" -> blockStop(data);
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> messageStop();
      case "error" -> error(providerEvent, data);
      default -> List.of(); // ping, and event types added after this was written
    };
  }

  private List<SseFraming.Event> start(JsonNode message) {
    if (id != null) {
      return List.of(); // a repeated message_start: the client's stream has begun already
    }
    id = ChatViaMessages.completionId(message.path("id").asString(""));
    model = message.path("model").asString("");
    created = clock.instant().getEpochSecond();
    countUsage(message.path("usage"));
    // content null, as OpenAI's own first chunk before tool calls (PROTOCOLS.md 5.4): both SDKs
    // take the first string after it, and an answer of only tool calls keeps a null content.
    ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant").putNull("content");
    return List.of(choice(delta, null));
  }

  private List<SseFraming.Event> blockStart(JsonNode data) {
    List<SseFraming.Event> out = startIfNeeded();
    JsonNode block = data.path("content_block");
    int index = data.path("index").asInt(-1);
    switch (block.path("type").asString("")) {
      case "text" -> {
        blocks.put(index, new Block(Block.TEXT, null));
        String text = block.path("text").asString("");
        if (!text.isEmpty()) {
          out = add(out, content(text));
        }
      }
      case "tool_use" -> {
        JsonNode input = block.path("input");
        Block tool = new Block(toolCalls++, input.isObject() && !input.isEmpty() ? input : null);
        blocks.put(index, tool);
        ObjectNode delta = Json.MAPPER.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", tool.toolIndex);
        call.put("id", block.path("id").asString(""));
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", block.path("name").asString(""));
        function.put("arguments", "");
        out = add(out, choice(delta, null));
      }
      default -> blocks.put(index, new Block(Block.OTHER, null)); // thinking: not for OpenAI
    }
    return out;
  }

  private List<SseFraming.Event> blockDelta(JsonNode data) {
    Block block = blocks.get(data.path("index").asInt(-1));
    if (block == null) {
      return List.of(); // a block never started: what the Anthropic SDK does too (5.5)
    }
    JsonNode delta = data.path("delta");
    switch (delta.path("type").asString("")) {
      case "text_delta" -> {
        String text = delta.path("text").asString("");
        if (block.toolIndex == Block.TEXT && !text.isEmpty()) {
          return List.of(content(text));
        }
      }
      case "input_json_delta" -> {
        // The first fragment is often empty; "" adds nothing to the client's arguments.
        String fragment = delta.path("partial_json").asString("");
        if (block.toolIndex >= 0 && !fragment.isEmpty()) {
          block.argumentsSent = true;
          return List.of(arguments(block.toolIndex, fragment));
        }
      }
      default -> {} // thinking, signature and citations deltas
    }
    return List.of();
  }

  private List<SseFraming.Event> blockStop(JsonNode data) {
    Block block = blocks.remove(data.path("index").asInt(-1));
    if (block == null || block.toolIndex < 0 || block.argumentsSent) {
      return List.of();
    }
    // No fragment came: the arguments are the start's input, or none. OpenAI sends "{}" for a call
    // without arguments, and clients JSON-parse the string, which "" would fail.
    String arguments =
        block.startInput == null ? "{}" : Json.MAPPER.writeValueAsString(block.startInput);
    return List.of(arguments(block.toolIndex, arguments));
  }

  private List<SseFraming.Event> messageDelta(JsonNode data) {
    List<SseFraming.Event> out = startIfNeeded();
    countUsage(data.path("usage"));
    String stopReason = data.path("delta").path("stop_reason").asString("");
    if (!stopReason.isEmpty() && !finishSent) {
      finishSent = true;
      out =
          add(
              out,
              choice(Json.MAPPER.createObjectNode(), ChatViaMessages.finishReason(stopReason)));
    }
    return out;
  }

  private List<SseFraming.Event> messageStop() {
    List<SseFraming.Event> out = new ArrayList<>(4);
    out.addAll(startIfNeeded());
    ended = true;
    if (!finishSent) {
      // openai-node's finalChatCompletion() throws without a finish_reason (5.5).
      finishSent = true;
      out.add(choice(Json.MAPPER.createObjectNode(), "stop"));
    }
    ObjectNode chunk = chunk();
    chunk.putArray("choices");
    chunk.set(
        "usage",
        ChatViaMessages.usage(inputTokens, cacheWriteTokens, cacheReadTokens, outputTokens));
    SseFraming.Event usage = event(chunk);
    // Only a client that asked (stream_options.include_usage) gets the usage chunk: code that reads
    // choices[0] of every chunk fails on its empty choices (PROTOCOLS.md 1.3). The log gets it
    // either way, as an event with nothing to write (StreamTranslator).
    out.add(includeUsage ? usage : new SseFraming.Event(new byte[0], usage.name(), usage.data()));
    out.add(DONE);
    return out;
  }

  private List<SseFraming.Event> error(SseFraming.Event providerEvent, JsonNode data) {
    // The status the same error has outside a stream (PROTOCOLS.md 2.4): one home, in Api.
    int status = Api.ANTHROPIC.errorEventStatus(providerEvent);
    String message = ChatViaMessages.message(data);
    return fail(
        status,
        message != null ? message : ChatViaMessages.rawMessage(status, providerEvent.data()));
  }

  @Override
  public boolean failed() {
    return failed;
  }

  @Override
  public boolean ended() {
    return ended;
  }

  /** One OpenAI error chunk, which both SDKs raise as APIError (PROTOCOLS.md 1.3); then nothing. */
  private List<SseFraming.Event> fail(int status, String message) {
    ended = true;
    failed = true;
    String data = Json.MAPPER.writeValueAsString(ChatViaMessages.errorBody(status, message));
    return List.of(new SseFraming.Event(SseFraming.event(null, data), null, data));
  }

  /** Content before message_start (a provider that skips it) still gets a first chunk. */
  private List<SseFraming.Event> startIfNeeded() {
    return id == null ? start(Json.MAPPER.missingNode()) : List.of();
  }

  private void countUsage(JsonNode usage) {
    // message_delta counts are cumulative; input and cache counts come again there, or are null.
    outputTokens = count(usage, "output_tokens", outputTokens);
    inputTokens = count(usage, "input_tokens", inputTokens);
    cacheWriteTokens = count(usage, "cache_creation_input_tokens", cacheWriteTokens);
    cacheReadTokens = count(usage, "cache_read_input_tokens", cacheReadTokens);
  }

  private static long count(JsonNode usage, String field, long previous) {
    JsonNode value = usage.path(field);
    return value.isIntegralNumber() ? value.longValue() : previous;
  }

  private SseFraming.Event content(String text) {
    return choice(Json.MAPPER.createObjectNode().put("content", text), null);
  }

  private SseFraming.Event arguments(int toolIndex, String fragment) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    ObjectNode call = delta.putArray("tool_calls").addObject();
    call.put("index", toolIndex);
    call.putObject("function").put("arguments", fragment);
    return choice(delta, null);
  }

  private SseFraming.Event choice(ObjectNode delta, String finishReason) {
    ObjectNode chunk = chunk();
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason);
    return event(chunk);
  }

  private ObjectNode chunk() {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", model);
    return chunk;
  }

  private static SseFraming.Event event(ObjectNode chunk) {
    // OpenAI chunks have no event: line (PROTOCOLS.md 1.3).
    String data = Json.MAPPER.writeValueAsString(chunk);
    return new SseFraming.Event(SseFraming.event(null, data), null, data);
  }

  private static List<SseFraming.Event> add(List<SseFraming.Event> out, SseFraming.Event event) {
    if (out.isEmpty()) {
      return List.of(event);
    }
    List<SseFraming.Event> more = new ArrayList<>(out);
    more.add(event);
    return more;
  }
}
