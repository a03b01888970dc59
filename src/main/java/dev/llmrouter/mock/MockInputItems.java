package dev.llmrouter.mock;

import dev.llmrouter.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Responses request's {@code input} as the items {@code GET /responses/{id}/input_items} lists: a
 * string is one user message; a message with string content gets it as one {@code input_text} part
 * ({@code output_text} for the assistant's); every other item is listed as sent. Each item gets an
 * ID if it has none.
 */
final class MockInputItems {

  private MockInputItems() {}

  /** The items in input order; {@code idPrefix} + their index makes the IDs they lack. */
  static List<ObjectNode> of(JsonNode input, String idPrefix) {
    List<ObjectNode> items = new ArrayList<>();
    if (input.isString()) {
      items.add(message(idPrefix + "_0", "user", input));
    } else if (input.isArray()) {
      for (JsonNode entry : input) {
        String id = idPrefix + "_" + items.size();
        if (!entry.isObject()) {
          continue; // refused by the real API; nothing to list
        }
        String type = entry.path("type").asString("message");
        if (type.equals("message") && entry.has("role")) {
          items.add(message(id, entry.path("role").asString(), entry.path("content")));
        } else {
          ObjectNode item = (ObjectNode) entry.deepCopy();
          if (!item.has("id")) {
            item.put("id", id);
          }
          items.add(item);
        }
      }
    }
    return items;
  }

  private static ObjectNode message(String id, String role, JsonNode content) {
    ObjectNode item = Json.MAPPER.createObjectNode();
    item.put("id", id);
    item.put("type", "message");
    item.put("status", "completed");
    item.put("role", role);
    if (content.isString()) {
      item.putArray("content")
          .addObject()
          .put("type", role.equals("assistant") ? "output_text" : "input_text")
          .put("text", content.asString());
    } else {
      item.set("content", content.deepCopy());
    }
    return item;
  }
}
