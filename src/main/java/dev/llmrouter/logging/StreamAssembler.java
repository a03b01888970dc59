package dev.llmrouter.logging;

import dev.llmrouter.json.Json;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.wire.Operation;
import dev.llmrouter.wire.SseFraming;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles what a stream said, for the log, one event at a time as the relay passes it on: the
 * text the model produced, tool-call pieces joined per call, and usage. Only the assembled text is
 * kept, never the events, and at most {@code maxChars} of it (text, thinking and tool arguments
 * together): an endless stream costs the log a bounded amount of memory, and the record then says
 * {@code truncated}. Usage keeps being read past the cap, since it comes last. Not thread-safe: one
 * per stream, fed by its relay thread.
 */
public final class StreamAssembler {

  private final long maxChars;
  private final MemoryBudget.Ledger memory;
  private long reserved;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder thinking = new StringBuilder();
  private final Map<Integer, ToolCall> tools = new TreeMap<>();
  private ObjectNode usage;
  private long kept;
  private boolean truncated;
  private int events;

  /**
   * @param dialect the operation of the events it is given (the client's: translated streams are
   *     assembled as the client saw them)
   * @param maxChars the most text (and tool arguments) kept for the log
   * @param memory the request's account: what is kept is reserved there, and past the budget the
   *     text is cut as past {@code maxChars}
   */
  public StreamAssembler(Operation dialect, long maxChars, MemoryBudget.Ledger memory) {
    this.dialect = dialect;
    this.maxChars = maxChars;
    this.memory = memory;
  }

  private final Operation dialect;

  /** A Responses stream's response id and status, written ahead of the assembled answer. */
  private final ObjectNode response = Json.MAPPER.createObjectNode();

  /**
   * The Response object a Responses stream ended with ({@code response.completed}, {@code failed}
   * or {@code incomplete}): the log shows it as a non-streamed answer would be logged, when it fits
   * within the cap beside the assembled text.
   */
  private ObjectNode finalResponse;

  /** Takes in one relayed event. */
  public void accept(SseFraming.Event event) {
    if (event.isCommentOnly()) {
      return; // an upstream's ": ping" is no event: it neither numbers nor counts
    }
    events++;
    JsonNode data = parse(event.data());
    if (data == null) {
      return;
    }
    switch (dialect) {
      case CHAT, COMPLETIONS -> openAiChunk(data);
      case MESSAGES -> anthropicEvent(data);
      case RESPONSES -> {
        responsesEvent(data);
        if (dialect.isFinalEvent(event)) {
          keepFinal(data, event.data().length());
        }
      }
      case EMBEDDINGS, COUNT_TOKENS -> {
        // never streamed
      }
    }
  }

  /** How many events were taken in. */
  public int events() {
    return events;
  }

  /**
   * Writes {@code {"content": ..., "thinking"?: ..., "tool_calls"?: [{"id","name","arguments"}]}}.
   * The text goes out through a reader: a long answer is not copied again into a String.
   */
  void writeResponse(JsonGenerator g) {
    g.writeStartObject();
    if (finalResponse != null) {
      for (var field : finalResponse.properties()) {
        if (!ASSEMBLED.contains(field.getKey())) {
          g.writeName(field.getKey());
          Json.MAPPER.writeTree(g, field.getValue());
        }
      }
    } else {
      for (var field : response.properties()) {
        g.writeStringProperty(field.getKey(), field.getValue().asString());
      }
    }
    g.writeName("content");
    writeText(g, text);
    if (!thinking.isEmpty()) {
      g.writeName("thinking");
      writeText(g, thinking);
    }
    if (!tools.isEmpty()) {
      g.writeName("tool_calls");
      g.writeStartArray();
      for (ToolCall tool : tools.values()) {
        g.writeStartObject();
        for (var field : tool.node.properties()) {
          g.writeStringProperty(field.getKey(), field.getValue().asString());
        }
        g.writeName("arguments");
        writeText(g, tool.arguments);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void writeText(JsonGenerator g, StringBuilder text) {
    g.writeString(new BuilderReader(text), text.length());
  }

  /** The usage the stream reported, or null. */
  JsonNode usage() {
    return usage;
  }

  /** How many characters of text, thinking and tool arguments are kept. */
  long keptChars() {
    return kept;
  }

  /** Whether the kept text reached the cap and was cut. */
  boolean truncated() {
    return truncated;
  }

  /**
   * OpenAI: choices[].delta.content and tool_calls[index].function.arguments pieces; a legacy
   * completion's choices[].text.
   */
  private void openAiChunk(JsonNode chunk) {
    for (JsonNode choice : chunk.path("choices")) {
      if (index(choice.path("index")) > 0) {
        continue; // n > 1: the log keeps the first choice, as the translators answer with it
      }
      if (choice.path("text").isString()) {
        append(text, choice.path("text").asString());
      }
      JsonNode delta = choice.path("delta");
      if (delta.path("content").isString()) {
        append(text, delta.path("content").asString());
      }
      for (JsonNode call : delta.path("tool_calls")) {
        ToolCall tool = tool(index(call.path("index")));
        if (tool == null) {
          continue;
        }
        copyIfPresent(call, "id", tool.node);
        JsonNode function = call.path("function");
        copyIfPresent(function, "name", tool.node);
        append(tool.arguments, function.path("arguments").asString(""));
      }
    }
    if (chunk.path("usage").isObject()) {
      usage = (ObjectNode) chunk.get("usage");
    }
  }

  /** Anthropic: text/thinking/input_json deltas per block; usage from start and deltas. */
  private void anthropicEvent(JsonNode event) {
    switch (event.path("type").asString("")) {
      case "message_start" -> {
        JsonNode start = event.path("message").path("usage");
        if (start.isObject()) {
          usage = (ObjectNode) start;
        }
      }
      case "content_block_start" -> {
        JsonNode block = event.path("content_block");
        if (block.path("type").asString("").equals("tool_use")) {
          ToolCall tool = tool(index(event.path("index")));
          if (tool != null) {
            copyIfPresent(block, "id", tool.node);
            copyIfPresent(block, "name", tool.node);
          }
        }
      }
      case "content_block_delta" -> {
        JsonNode delta = event.path("delta");
        switch (delta.path("type").asString("")) {
          case "text_delta" -> append(text, delta.path("text").asString(""));
          case "thinking_delta" -> append(thinking, delta.path("thinking").asString(""));
          case "input_json_delta" -> {
            ToolCall tool = tool(index(event.path("index")));
            if (tool != null) {
              append(tool.arguments, delta.path("partial_json").asString(""));
            }
          }
          default -> {
            // signature and citation deltas carry nothing worth assembling for the log
          }
        }
      }
      case "message_delta" -> {
        // message_delta usage counts are cumulative: the latest wins, merged over the start.
        JsonNode delta = event.path("usage");
        if (delta.isObject()) {
          if (usage == null) {
            usage = Json.MAPPER.createObjectNode();
          }
          // Only counts: a delta may repeat input_tokens as null (PROTOCOLS.md 5.3), which must
          // not wipe message_start's count.
          for (var field : delta.properties()) {
            if (!field.getValue().isNull()) {
              usage.set(field.getKey(), field.getValue());
            }
          }
        }
      }
      default -> {
        // ping, message_stop, unknown new types: nothing to assemble
      }
    }
  }

  /**
   * Responses API (PROTOCOLS.md 6.3): text and reasoning deltas, function calls per output index,
   * and the usage of the final response ({@code response.completed}, or its failed or incomplete
   * twins).
   */
  private void responsesEvent(JsonNode event) {
    switch (event.path("type").asString("")) {
      case "response.created",
          "response.in_progress",
          "response.completed",
          "response.failed",
          "response.incomplete" -> {
        JsonNode r = event.path("response");
        copyIfPresent(r, "id", response);
        copyIfPresent(r, "status", response);
        if (r.path("usage").isObject()) {
          usage = (ObjectNode) r.get("usage");
        }
      }
      case "response.output_text.delta" -> append(text, event.path("delta").asString(""));
      case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" ->
          append(thinking, event.path("delta").asString(""));
      case "response.output_item.added" -> {
        JsonNode item = event.path("item");
        if (item.path("type").asString("").equals("function_call")) {
          ToolCall tool = tool(index(event.path("output_index")));
          if (tool != null) {
            copyIfPresent(item, "call_id", tool.node);
            copyIfPresent(item, "name", tool.node);
          }
        }
      }
      case "response.function_call_arguments.delta" -> {
        ToolCall tool = tools.get(index(event.path("output_index")));
        if (tool != null) {
          append(tool.arguments, event.path("delta").asString(""));
        }
      }
      default -> {
        // the other ~50 event types carry nothing the log assembles
      }
    }
  }

  /** The fields the assembler writes itself, after a final Response object's own. */
  private static final Set<String> ASSEMBLED = Set.of("content", "thinking", "tool_calls");

  /**
   * Keeps the Response object of a Responses stream's last event when the record stays within its
   * cap with it and the request's memory budget has room; else the log keeps the assembled summary
   * alone (its id and status, the text, the calls), which says the same in fewer bytes.
   */
  private void keepFinal(JsonNode event, int chars) {
    if (!(event.path("response") instanceof ObjectNode r) || truncated) {
      return;
    }
    if (kept + chars <= maxChars && memory.reserve(chars)) {
      finalResponse = r; // held until the request's account closes, with the rest of its record
    }
  }

  /** Appends within the cap; past it, the record is marked truncated and nothing more is kept. */
  private void append(StringBuilder to, String piece) {
    if (truncated) {
      return;
    }
    long room = maxChars - kept;
    if (kept + piece.length() > reserved) {
      long step = Math.max(RESERVE_STEP, piece.length());
      if (memory.reserve(step)) {
        reserved += step;
      } else {
        room = Math.min(room, reserved - kept); // the budget is full: keep what is reserved
      }
    }
    if (piece.length() > room) {
      truncated = true;
      int cut = (int) Math.max(0, room);
      int before = to.length();
      // With the character after the cut, to see whether the cut splits a key (here or in what
      // came before): the log line is redacted later, and only a whole key is found.
      to.append(piece, 0, Math.min(piece.length(), cut + 1));
      to.setLength(Redactor.cutPoint(to, before + cut));
      kept += to.length() - before;
      return;
    }
    to.append(piece);
    kept += piece.length();
  }

  /** How much of the budget the kept text takes at a time (characters counted as bytes). */
  private static final int RESERVE_STEP = 64 * 1024;

  /**
   * An event's {@code index} or {@code output_index}; -1 for anything but a non-negative int (an
   * upstream's odd field must not stop the relay whose events this assembler only copies).
   */
  private static int index(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 0 ? n.intValue() : -1;
  }

  /**
   * The call at {@code index}; null for an odd index, and once the cap is reached (a new call would
   * grow the log).
   */
  private ToolCall tool(int index) {
    if (index < 0) {
      return null;
    }
    ToolCall tool = tools.get(index);
    if (tool == null && !truncated && tools.size() < MAX_TOOL_CALLS) {
      tool = new ToolCall();
      tools.put(index, tool);
    }
    return tool;
  }

  /** A stream that opens more tool calls than any model does is cut off here, for the log. */
  private static final int MAX_TOOL_CALLS = 1024;

  /** One tool call being assembled; arguments arrive in many small pieces. */
  private static final class ToolCall {
    final ObjectNode node = Json.MAPPER.createObjectNode();
    final StringBuilder arguments = new StringBuilder();
  }

  private static void copyIfPresent(JsonNode from, String field, ObjectNode to) {
    if (from.path(field).isString()) {
      to.put(field, from.path(field).asString());
    }
  }

  private static JsonNode parse(String data) {
    if (data == null || data.isEmpty() || data.charAt(0) != '{') {
      return null; // [DONE], comments
    }
    try {
      return Json.MAPPER.readTree(data);
    } catch (JacksonException e) {
      return null;
    }
  }
}
