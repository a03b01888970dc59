package dev.llmrouter.mock;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.SseFraming;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI Responses API as the mock answers it (PROTOCOLS.md 6): {@code POST /responses} with
 * and without a stream, and {@code GET}, {@code DELETE} and {@code GET …/input_items} of the
 * responses it made. It remembers the last {@link #STORED} responses created without {@code
 * "store": false}; like OpenAI it answers 404 for any other ID, and 400 for a {@code
 * previous_response_id} it does not know, so a router that sends a follow-up to the wrong provider
 * finds out.
 */
final class MockResponses {

  /** How many responses one mock remembers; the oldest is forgotten first. */
  static final int STORED = 1000;

  private static final HexFormat HEX = HexFormat.of();

  /**
   * Response IDs must be unique across mocks too: a router remembers which provider made each one.
   * So they end in random bytes chosen per instance, after a per-instance counter; 48 hex digits
   * like OpenAI's ({@code resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b}).
   */
  private final String instance;

  private final AtomicLong counter = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Stored> stored =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
          return size() > STORED;
        }
      };

  /** A stored response: the completed Response as sent, and the request's input for its items. */
  @SuppressWarnings("ArrayRecordComponent") // sent as it is; never mutated
  private record Stored(byte[] response, JsonNode input) {}

  MockResponses() {
    byte[] random = new byte[16];
    ThreadLocalRandom.current().nextBytes(random);
    this.instance = HEX.formatHex(random);
  }

  /** {@code POST /responses}: a completed Response, or its event sequence when streamed. */
  MockReply create(JsonNode request) {
    JsonNode previous = request.path("previous_response_id");
    if (previous.isString() && find(previous.asString()) == null) {
      return new MockReply.Complete(
          400,
          MockBodies.openAiError(
              "Previous response with id '" + previous.asString() + "' not found.",
              "invalid_request_error",
              "previous_response_id",
              "previous_response_not_found"));
    }
    String suffix = HEX.toHexDigits(counter.incrementAndGet()) + instance;
    Draft draft = new Draft("resp_" + suffix, "msg_" + suffix, request);
    byte[] completed = Json.MAPPER.writeValueAsBytes(draft.response(true));
    if (request.path("store").asBoolean(true)) {
      lock.lock();
      try {
        stored.put(draft.id, new Stored(completed, request.path("input")));
      } finally {
        lock.unlock();
      }
    }
    return request.path("stream").asBoolean(false)
        ? new MockReply.Stream(draft.events())
        : MockReply.ok(completed);
  }

  /** {@code GET /responses/{id}}: the Response as it was created. */
  MockReply get(String id) {
    Stored s = find(id);
    return s == null ? notFound(id) : MockReply.ok(s.response);
  }

  /** {@code DELETE /responses/{id}}: forgets it (a second delete is a 404, as at OpenAI). */
  MockReply delete(String id) {
    Stored s;
    lock.lock();
    try {
      s = stored.remove(id);
    } finally {
      lock.unlock();
    }
    if (s == null) {
      return notFound(id);
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("id", id);
    body.put("object", "response");
    body.put("deleted", true);
    return MockReply.ok(Json.MAPPER.writeValueAsBytes(body));
  }

  /**
   * {@code GET /responses/{id}/input_items}: the request's input as items, newest first unless
   * {@code order=asc}, at most {@code limit} (1-100, default 20) of them; {@code after} is not
   * supported (the mock's inputs are short).
   */
  MockReply inputItems(String id, String rawQuery) {
    Stored s = find(id);
    if (s == null) {
      return notFound(id);
    }
    List<ObjectNode> items = MockInputItems.of(s.input, "msg_" + id.substring(5));
    String order = query(rawQuery, "order", "desc");
    if (!order.equals("asc")) {
      items = items.reversed();
    }
    int limit;
    try {
      limit = Math.clamp(Integer.parseInt(query(rawQuery, "limit", "20")), 1, 100);
    } catch (NumberFormatException e) {
      limit = 20;
    }
    List<ObjectNode> page = items.subList(0, Math.min(limit, items.size()));
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("object", "list");
    page.forEach(body.putArray("data")::add);
    body.put("first_id", page.isEmpty() ? null : page.getFirst().path("id").asString());
    body.put("last_id", page.isEmpty() ? null : page.getLast().path("id").asString());
    body.put("has_more", items.size() > page.size());
    return MockReply.ok(Json.MAPPER.writeValueAsBytes(body));
  }

  private Stored find(String id) {
    lock.lock();
    try {
      return stored.get(id);
    } finally {
      lock.unlock();
    }
  }

  private static MockReply notFound(String id) {
    return new MockReply.Complete(
        404,
        MockBodies.openAiError(
            "Response with id '" + id + "' not found.", "invalid_request_error", null, null));
  }

  /** One query parameter's value, or {@code fallback}; the mock's values need no decoding. */
  private static String query(String rawQuery, String name, String fallback) {
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&", -1)) {
        if (pair.startsWith(name + "=")) {
          return pair.substring(name.length() + 1);
        }
      }
    }
    return fallback;
  }

  /** One response being made: its Response object at each stage and its stream events. */
  private static final class Draft {
    private final String id;
    private final String messageId;
    private final JsonNode request;
    private final long createdAt = System.currentTimeMillis() / 1000;
    private int sequence;

    Draft(String id, String messageId, JsonNode request) {
      this.id = id;
      this.messageId = messageId;
      this.request = request;
    }

    /**
     * The Response: {@code completed} with the answer and usage, or {@code in_progress} with no
     * output yet, as {@code response.created} carries it (PROTOCOLS.md 6.2, 6.3). Request fields
     * the real API echoes are echoed.
     */
    ObjectNode response(boolean completed) {
      ObjectNode r = Json.MAPPER.createObjectNode();
      r.put("id", id);
      r.put("object", "response");
      r.put("created_at", createdAt);
      r.put("status", completed ? "completed" : "in_progress");
      r.put("background", false);
      r.putNull("error");
      r.putNull("incomplete_details");
      echo(r, "instructions", null);
      echo(r, "max_output_tokens", null);
      r.put("model", request.path("model").asString("mock-model"));
      ArrayNode output = r.putArray("output");
      if (completed) {
        output.add(message(true));
      }
      r.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
      echo(r, "previous_response_id", null);
      ObjectNode reasoning = r.putObject("reasoning");
      reasoning.putNull("effort");
      reasoning.putNull("summary");
      r.put("store", request.path("store").asBoolean(true));
      echo(r, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0));
      if (!echo(r, "text", null)) {
        r.putObject("text").putObject("format").put("type", "text");
      }
      echo(r, "tool_choice", Json.MAPPER.getNodeFactory().stringNode("auto"));
      if (!echo(r, "tools", null)) {
        r.putArray("tools");
      }
      echo(r, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0));
      echo(r, "truncation", Json.MAPPER.getNodeFactory().stringNode("disabled"));
      if (completed) {
        int input =
            MockTokens.estimate(
                request.path("instructions"), request.path("input"), request.path("tools"));
        int out = MockBodies.PIECES.size();
        ObjectNode usage = r.putObject("usage");
        usage.put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", out);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", input + out);
      } else {
        r.putNull("usage");
      }
      r.putNull("user");
      if (!echo(r, "metadata", null)) {
        r.putObject("metadata");
      }
      return r;
    }

    /** Copies a request field that is present (null when absent and no fallback); true if so. */
    private boolean echo(ObjectNode r, String field, JsonNode fallback) {
      JsonNode value = request.get(field);
      if (value != null && !value.isNull()) {
        r.set(field, value);
        return true;
      }
      if (fallback != null) {
        r.set(field, fallback);
      } else {
        r.putNull(field);
      }
      return false;
    }

    private ObjectNode message(boolean done) {
      ObjectNode item = Json.MAPPER.createObjectNode();
      item.put("id", messageId);
      item.put("type", "message");
      item.put("status", done ? "completed" : "in_progress");
      ArrayNode content = item.putArray("content");
      if (done) {
        content.add(part(MockBodies.TEXT));
      }
      item.put("role", "assistant");
      return item;
    }

    private static ObjectNode part(String text) {
      ObjectNode part = Json.MAPPER.createObjectNode();
      part.put("type", "output_text");
      part.putArray("annotations");
      part.putArray("logprobs");
      part.put("text", text);
      return part;
    }

    /** The text event sequence of PROTOCOLS.md 6.3, {@code sequence_number} from 0. */
    List<byte[]> events() {
      List<byte[]> events = new ArrayList<>();
      events.add(frame(event("response.created").set("response", response(false))));
      events.add(frame(event("response.in_progress").set("response", response(false))));
      ObjectNode added = event("response.output_item.added").put("output_index", 0);
      added.set("item", message(false));
      events.add(frame(added));
      events.add(frame(inPart("response.content_part.added").set("part", part(""))));
      for (String piece : MockBodies.PIECES) {
        ObjectNode delta = inPart("response.output_text.delta").put("delta", piece);
        delta.putArray("logprobs");
        events.add(frame(delta));
      }
      ObjectNode textDone = inPart("response.output_text.done").put("text", MockBodies.TEXT);
      textDone.putArray("logprobs");
      events.add(frame(textDone));
      events.add(frame(inPart("response.content_part.done").set("part", part(MockBodies.TEXT))));
      ObjectNode itemDone = event("response.output_item.done").put("output_index", 0);
      itemDone.set("item", message(true));
      events.add(frame(itemDone));
      events.add(frame(event("response.completed").set("response", response(true))));
      return events;
    }

    private ObjectNode event(String type) {
      return Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
    }

    /** An event about the one text part: item, output and content indexes. */
    private ObjectNode inPart(String type) {
      return event(type).put("item_id", messageId).put("output_index", 0).put("content_index", 0);
    }

    private byte[] frame(JsonNode event) {
      return SseFraming.event(event.path("type").asString(), Json.MAPPER.writeValueAsString(event));
    }
  }
}
