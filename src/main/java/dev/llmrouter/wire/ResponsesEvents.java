package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of a Responses API stream (PROTOCOLS.md 6.3-6.4): every event is named ({@code event:
 * <type>}, repeated as {@code type} in its data) and numbered ({@code sequence_number} from 0);
 * there is no {@code [DONE]}, the stream ends with {@code response.completed}, {@code
 * response.failed} or {@code response.incomplete}, and an error is an {@code error} event.
 */
final class ResponsesEvents {

  private ResponsesEvents() {}

  private static final Set<String> FINAL =
      Set.of("response.completed", "response.failed", "response.incomplete");

  static boolean isFinal(SseFraming.Event event) {
    return FINAL.contains(type(event));
  }

  /**
   * An {@code error} event, or any data with a truthy top-level {@code error} (openai-node throws
   * on both; PROTOCOLS.md 6.4).
   */
  static boolean isError(SseFraming.Event event) {
    return "error".equals(type(event)) || Api.OPENAI.isErrorEvent(event);
  }

  /**
   * The status an error event stands for. OpenAI sends the nested form ({@code "error": {"code":
   * "too_many_requests", ...}}), the published one is flat ({@code "code": ...}): either is read.
   */
  static int errorStatus(SseFraming.Event event) {
    if (!isError(event)) {
      return 0;
    }
    JsonNode data = data(event);
    return Api.openAiErrorStatus(data.path("error").isObject() ? data.path("error") : data);
  }

  /**
   * The router's own {@code error} event, in both forms clients read: openai-node throws on the
   * published flat one, openai-python only when an {@code error} key is present (PROTOCOLS.md 6.4).
   * It numbers itself right after the last event the client received.
   */
  static byte[] errorEvent(ErrorKind kind, String message, SseFraming.Event last) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "error");
    root.put("code", kind.openAiCode);
    root.put("message", message);
    root.put("param", kind.openAiParam);
    root.put(
        "sequence_number", last == null ? 0 : data(last).path("sequence_number").asLong(-1) + 1);
    ObjectNode error = root.putObject("error");
    error.put("type", kind.openAiType);
    error.put("code", kind.openAiCode);
    error.put("message", message);
    error.put("param", kind.openAiParam);
    return SseFraming.event(
        "error", new String(Json.MAPPER.writeValueAsBytes(root), StandardCharsets.UTF_8));
  }

  /** The event's type: its name, or (for an upstream that omits the name) its data's type. */
  private static String type(SseFraming.Event event) {
    if (event.name() != null) {
      return event.name();
    }
    return event.data() == null ? "" : data(event).path("type").asString("");
  }

  private static JsonNode data(SseFraming.Event event) {
    if (event.data() == null || event.data().isEmpty()) {
      return Json.MAPPER.missingNode();
    }
    try {
      return Json.MAPPER.readTree(event.data());
    } catch (JacksonException e) {
      return Json.MAPPER.missingNode();
    }
  }
}
