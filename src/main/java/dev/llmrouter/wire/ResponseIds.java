package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The id of a Responses API response ({@code resp_...}), where a provider first says it: the
 * top-level {@code id} of a complete response, or the response inside a stream's first event,
 * {@code response.created} (PROTOCOLS.md 6.2-6.3).
 */
public final class ResponseIds {

  private ResponseIds() {}

  /** The top-level {@code id} string of a Response body, or null; reads no further than it. */
  public static String ofResponse(byte[] body) {
    try (JsonParser p = Json.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("id")) {
          return value == JsonToken.VALUE_STRING ? p.getString() : null;
        }
        p.skipChildren();
      }
      return null;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** The id of the response an event carries ({@code response.created} and its like), or null. */
  public static String ofCreatedEvent(SseFraming.Event event) {
    if (event.data() == null || event.data().isEmpty()) {
      return null;
    }
    try {
      String id = Json.MAPPER.readTree(event.data()).path("response").path("id").asString(null);
      return id == null || id.isEmpty() ? null : id;
    } catch (JacksonException e) {
      return null;
    }
  }
}
