package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.io.ByteArrayOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A whole Responses API response as the events its stream would have carried (PROTOCOLS.md 6.3),
 * numbered from 0: {@code response.created}, {@code response.in_progress}, each output item added,
 * its content in one delta, done, then the closing event its status names. For {@link
 * WholeAnswerStream}.
 */
final class ResponsesReplay {

  private final ByteArrayOutputStream out;
  private int sequence;

  private ResponsesReplay(ByteArrayOutputStream out) {
    this.out = out;
  }

  /** Writes the events of {@code response}; false when it is no Responses API response. */
  static boolean of(JsonNode response, ByteArrayOutputStream out) {
    if (!"response".equals(response.path("object").asString(""))
        || !response.path("output").isArray()) {
      return false;
    }
    new ResponsesReplay(out).replay(response);
    return true;
  }

  private void replay(JsonNode response) {
    ObjectNode opening = ((ObjectNode) response).deepCopy();
    opening.put("status", "in_progress");
    opening.putArray("output");
    opening.putNull("usage");
    send(event("response.created").set("response", opening));
    send(event("response.in_progress").set("response", opening));
    int index = 0;
    for (JsonNode item : response.path("output")) {
      item(index++, item);
    }
    String status = response.path("status").asString("");
    String closing =
        switch (status) {
          case "incomplete", "failed" -> "response." + status;
          default -> "response.completed";
        };
    send(event(closing).set("response", response));
  }

  private void item(int index, JsonNode item) {
    if (!(item instanceof ObjectNode object)) {
      send(event("response.output_item.added").put("output_index", index).set("item", item));
      send(event("response.output_item.done").put("output_index", index).set("item", item));
      return;
    }
    String type = item.path("type").asString("");
    String id = item.path("id").asString("");
    ObjectNode added = object.deepCopy();
    added.put("status", "in_progress");
    switch (type) {
      case "message" -> added.putArray("content");
      case "function_call" -> added.put("arguments", "");
      default -> {
        // reasoning, web_search_call and the like: added as they are
      }
    }
    send(event("response.output_item.added").put("output_index", index).set("item", added));
    if (type.equals("message")) {
      int part = 0;
      for (JsonNode content : item.path("content")) {
        contentPart(index, id, part++, content);
      }
    } else if (type.equals("function_call")) {
      String arguments = item.path("arguments").asString("");
      send(
          event("response.function_call_arguments.delta")
              .put("item_id", id)
              .put("output_index", index)
              .put("delta", arguments));
      send(
          event("response.function_call_arguments.done")
              .put("item_id", id)
              .put("output_index", index)
              .put("arguments", arguments));
    }
    send(event("response.output_item.done").put("output_index", index).set("item", item));
  }

  private void contentPart(int index, String itemId, int part, JsonNode content) {
    boolean text =
        content instanceof ObjectNode && "output_text".equals(content.path("type").asString(""));
    JsonNode empty = content;
    if (text) {
      empty = ((ObjectNode) content).deepCopy().put("text", "");
    }
    send(
        event("response.content_part.added")
            .put("item_id", itemId)
            .put("output_index", index)
            .put("content_index", part)
            .set("part", empty));
    if (text) {
      String whole = content.path("text").asString("");
      send(
          event("response.output_text.delta")
              .put("item_id", itemId)
              .put("output_index", index)
              .put("content_index", part)
              .put("delta", whole));
      send(
          event("response.output_text.done")
              .put("item_id", itemId)
              .put("output_index", index)
              .put("content_index", part)
              .put("text", whole));
    }
    send(
        event("response.content_part.done")
            .put("item_id", itemId)
            .put("output_index", index)
            .put("content_index", part)
            .set("part", content));
  }

  /** An event of this type, numbered next, for the caller to fill in and {@link #send}. */
  private ObjectNode event(String type) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.put("type", type);
    data.put("sequence_number", sequence++);
    return data;
  }

  private void send(ObjectNode event) {
    WholeAnswerStream.write(out, event.path("type").asString(), event);
  }
}
