package dev.llmrouter.testkit;

import static dev.llmrouter.testkit.WireShapes.JSON;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI Responses API bodies and streams as the provider sends them (PROTOCOLS.md 6.2-6.4), and
 * the other routes' bodies of section 7 (embeddings, legacy completions, count_tokens).
 */
public final class ResponsesWire {

  private ResponsesWire() {}

  /** A completed Response with one message holding {@code text}. */
  public static String response(String id, String text) {
    return JSON.writeValueAsString(responseNode(id, text, "completed", true));
  }

  private static ObjectNode responseNode(String id, String text, String status, boolean done) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", 1751642570);
    r.put("status", status);
    r.putNull("error");
    r.putNull("incomplete_details");
    r.put("model", "gpt-x");
    r.putNull("previous_response_id");
    var output = r.putArray("output");
    if (done) {
      ObjectNode msg = output.addObject();
      msg.put("type", "message");
      msg.put("id", "msg_1");
      msg.put("status", "completed");
      msg.put("role", "assistant");
      ObjectNode part = msg.putArray("content").addObject();
      part.put("type", "output_text");
      part.put("text", text);
      part.putArray("annotations");
      ObjectNode usage = r.putObject("usage");
      usage.put("input_tokens", 9);
      usage.putObject("input_tokens_details").put("cached_tokens", 0);
      usage.put("output_tokens", 12);
      usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
      usage.put("total_tokens", 21);
    } else {
      r.putNull("usage");
    }
    return r;
  }

  /**
   * A text stream: response.created, response.in_progress, the message item and its part, one
   * output_text.delta per piece, the done events, response.completed with usage.
   */
  public static List<String> stream(String id, String... deltas) {
    List<String> events = new ArrayList<>();
    String text = String.join("", deltas);
    events.add(
        event(events, "response.created", "response", responseNode(id, "", "in_progress", false)));
    events.add(
        event(
            events,
            "response.in_progress",
            "response",
            responseNode(id, "", "in_progress", false)));
    ObjectNode item = JSON.createObjectNode();
    item.put("id", "msg_1");
    item.put("type", "message");
    item.put("status", "in_progress");
    item.putArray("content");
    item.put("role", "assistant");
    events.add(indexed(events, "response.output_item.added", "item", item));
    ObjectNode part = JSON.createObjectNode();
    part.put("type", "output_text");
    part.putArray("annotations");
    part.put("text", "");
    events.add(indexed(events, "response.content_part.added", "part", part));
    for (String d : deltas) {
      ObjectNode e = base(events, "response.output_text.delta");
      e.put("item_id", "msg_1");
      e.put("output_index", 0);
      e.put("content_index", 0);
      e.put("delta", d);
      events.add(frame(e));
    }
    ObjectNode done = base(events, "response.output_text.done");
    done.put("item_id", "msg_1");
    done.put("output_index", 0);
    done.put("content_index", 0);
    done.put("text", text);
    events.add(frame(done));
    part.put("text", text);
    events.add(indexed(events, "response.content_part.done", "part", part));
    item.put("status", "completed");
    events.add(indexed(events, "response.output_item.done", "item", item));
    events.add(
        event(events, "response.completed", "response", responseNode(id, text, "completed", true)));
    return List.copyOf(events);
  }

  /** A stream that asks for one function call: added, arguments deltas, done, completed. */
  public static List<String> functionCallStream(String id, String name, String... argDeltas) {
    List<String> events = new ArrayList<>();
    events.add(
        event(events, "response.created", "response", responseNode(id, "", "in_progress", false)));
    ObjectNode item = JSON.createObjectNode();
    item.put("type", "function_call");
    item.put("id", "fc_1");
    item.put("call_id", "call_1");
    item.put("name", name);
    item.put("arguments", "");
    item.put("status", "in_progress");
    ObjectNode added = base(events, "response.output_item.added");
    added.put("output_index", 0);
    added.set("item", item);
    events.add(frame(added));
    for (String d : argDeltas) {
      ObjectNode e = base(events, "response.function_call_arguments.delta");
      e.put("item_id", "fc_1");
      e.put("output_index", 0);
      e.put("delta", d);
      events.add(frame(e));
    }
    events.add(
        event(events, "response.completed", "response", responseNode(id, "", "completed", true)));
    return List.copyOf(events);
  }

  /** The nested error event OpenAI sends (PROTOCOLS.md 6.4), numbered after {@code events}. */
  public static String errorEvent(int sequenceNumber, String code) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", "error");
    e.put("sequence_number", sequenceNumber);
    ObjectNode error = e.putObject("error");
    error.put("type", code);
    error.put("code", code);
    error.put("message", "Too Many Requests");
    error.putNull("param");
    return "event: error\ndata: " + JSON.writeValueAsString(e);
  }

  /** The published flat error event (PROTOCOLS.md 6.4), as compatible servers send it. */
  public static String flatErrorEvent(int sequenceNumber, String code, String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", "error");
    e.put("code", code);
    e.put("message", message);
    e.putNull("param");
    e.put("sequence_number", sequenceNumber);
    return "event: error\ndata: " + JSON.writeValueAsString(e);
  }

  /** An embeddings answer with one vector per input. */
  public static String embeddings(int inputs) {
    ObjectNode r = JSON.createObjectNode();
    r.put("object", "list");
    var data = r.putArray("data");
    for (int i = 0; i < inputs; i++) {
      ObjectNode e = data.addObject();
      e.put("object", "embedding");
      e.put("index", i);
      e.putArray("embedding").add(0.0023064255).add(-0.009327292).add(0.015797347);
    }
    r.put("model", "text-embedding-3-small");
    r.putObject("usage").put("prompt_tokens", 8).put("total_tokens", 8);
    return JSON.writeValueAsString(r);
  }

  /** A legacy text completion. */
  public static String completion(String text) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", "cmpl-1");
    r.put("object", "text_completion");
    r.put("created", 1751642570);
    r.put("model", "gpt-3.5-turbo-instruct");
    ObjectNode choice = r.putArray("choices").addObject();
    choice.put("text", text);
    choice.put("index", 0);
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    r.putObject("usage")
        .put("prompt_tokens", 5)
        .put("completion_tokens", 7)
        .put("total_tokens", 12);
    return JSON.writeValueAsString(r);
  }

  /** A legacy completions stream: one text chunk per piece, a usage chunk, {@code [DONE]}. */
  public static List<String> completionStream(String... pieces) {
    List<String> events = new ArrayList<>();
    for (String p : pieces) {
      ObjectNode c = JSON.createObjectNode();
      c.put("id", "cmpl-1");
      c.put("object", "text_completion");
      c.put("created", 1751642570);
      c.put("model", "gpt-3.5-turbo-instruct");
      ObjectNode choice = c.putArray("choices").addObject();
      choice.put("text", p);
      choice.put("index", 0);
      choice.putNull("logprobs");
      choice.putNull("finish_reason");
      events.add("data: " + JSON.writeValueAsString(c));
    }
    ObjectNode usage = JSON.createObjectNode();
    usage.put("id", "cmpl-1");
    usage.put("object", "text_completion");
    usage.putArray("choices");
    usage
        .putObject("usage")
        .put("prompt_tokens", 5)
        .put("completion_tokens", 7)
        .put("total_tokens", 12);
    events.add("data: " + JSON.writeValueAsString(usage));
    events.add("data: [DONE]");
    return List.copyOf(events);
  }

  private static ObjectNode base(List<String> before, String type) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type);
    e.put("sequence_number", before.size());
    return e;
  }

  private static String event(List<String> before, String type, String field, ObjectNode value) {
    ObjectNode e = base(before, type);
    e.set(field, value.deepCopy());
    return frame(e);
  }

  private static String indexed(List<String> before, String type, String field, ObjectNode value) {
    ObjectNode e = base(before, type);
    e.put("output_index", 0);
    if (field.equals("part")) {
      e.put("item_id", "msg_1");
      e.put("content_index", 0);
    }
    e.set(field, value.deepCopy());
    return frame(e);
  }

  private static String frame(ObjectNode e) {
    return "event: " + e.get("type").asString() + "\ndata: " + JSON.writeValueAsString(e);
  }
}
