package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.util.Set;
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
    for (String type : FINAL) {
      if (event.is(type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * For a stream's {@code response.failed}, the status its {@code response.error} stands for (500
   * when its code says none: OpenAI's {@code server_error}); 0 for any other event. The client has
   * the failure in the protocol, so nothing follows it; the log counts it as the upstream's.
   */
  static int failedEndStatus(SseFraming.Event event) {
    if (!event.is("response.failed")) {
      return 0;
    }
    int status = Api.openAiErrorStatus(Api.dataJson(event).path("response").path("error"));
    return status != 0 ? status : 500;
  }

  /**
   * An {@code error} event, or any data with a truthy top-level {@code error} (openai-node throws
   * on both; PROTOCOLS.md 6.4).
   */
  static boolean isError(SseFraming.Event event) {
    return event.is("error") || Api.OPENAI.isErrorEvent(event);
  }

  /**
   * The status an error event stands for. OpenAI sends the nested form ({@code "error": {"code":
   * "too_many_requests", ...}}), the published one is flat ({@code "code": ...}): either is read.
   */
  static int errorStatus(SseFraming.Event event) {
    if (!isError(event)) {
      return 0;
    }
    JsonNode data = Api.dataJson(event);
    return Api.openAiErrorStatus(data.path("error").isObject() ? data.path("error") : data);
  }

  /**
   * The router's own {@code error} event, in both forms clients read: openai-node throws on the
   * published flat one, openai-python only when an {@code error} key is present (PROTOCOLS.md 6.4).
   * It numbers itself right after the last event the client received.
   *
   * @param relayed how many events the client received: the number when theirs carried none
   */
  static byte[] errorEvent(ErrorKind kind, String message, SseFraming.Event last, long relayed) {
    ObjectNode error = Json.MAPPER.createObjectNode();
    error.put("type", kind.openAiType);
    error.put("code", kind.openAiCode);
    error.put("message", message);
    error.put("param", kind.openAiParam);
    return SseFraming.event(
        "error", bothForms(Json.MAPPER.createObjectNode(), error, nextSequence(last, relayed)));
  }

  /**
   * An upstream's own error as the client gets it: an {@code error} event in both forms, like the
   * router's. OpenAI sends the nested one, the published form and compatible servers the flat one,
   * and openai-python raises only on the nested one (PROTOCOLS.md 6.4): relayed flat, the stream
   * would seem to end quietly. The upstream's fields stay, what is missing of either form is added
   * from the other, and an event without a number is numbered after the last one relayed. An event
   * already in both forms, or one whose data is not a JSON object, goes as it came.
   *
   * @param last the last event the client received, or null
   * @param relayed how many events the client received
   */
  static SseFraming.Event withBothForms(
      SseFraming.Event event, SseFraming.Event last, long relayed) {
    if (!(Api.dataJson(event) instanceof ObjectNode data)
        || (data.path("error").isObject() && data.path("message").isString())) {
      return event;
    }
    ObjectNode root = data.deepCopy();
    JsonNode seq = root.path("sequence_number");
    String json =
        bothForms(
            root,
            errorObject(data, event.data()),
            seq.canConvertToLong() ? seq.asLong() : nextSequence(last, relayed));
    return new SseFraming.Event(SseFraming.event("error", json), "error", json);
  }

  /**
   * A Responses error event's data as the complete error body of the OpenAI API, {@code {"error":
   * {...}}}: what a client gets when a stream's first event is an error and no other provider may
   * answer (the flat form alone is no error body any SDK reads).
   */
  static byte[] errorBody(SseFraming.Event event) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.set("error", errorObject(Api.dataJson(event), event.data()));
    return Json.MAPPER.writeValueAsBytes(root);
  }

  /**
   * The nested error of an error event's data: its own {@code error} object, else made from the
   * flat fields, or from an {@code error} that is only a message ({@code "error": "quota
   * exceeded"}). Data that is no JSON object becomes the message as it is.
   */
  private static ObjectNode errorObject(JsonNode data, String raw) {
    JsonNode nested = data.path("error");
    JsonNode from = nested.isObject() ? nested : data;
    ObjectNode error = Json.MAPPER.createObjectNode();
    JsonNode code = from.path("code");
    JsonNode type = nested.path("type");
    // The flat form has no type of its own ("type" is the event's): OpenAI's nested events repeat
    // the code there ("too_many_requests").
    error.put(
        "type",
        type.isString() ? type.asString() : code.isString() ? code.asString() : "server_error");
    error.set("code", code.isMissingNode() ? error.nullNode() : code);
    JsonNode message = from.path("message");
    error.put(
        "message",
        message.isString()
            ? message.asString()
            : nested.isString() && !nested.asString().isEmpty()
                ? nested.asString()
                : data.isObject() || raw == null ? "upstream error" : raw);
    JsonNode param = from.path("param");
    error.set("param", param.isMissingNode() ? error.nullNode() : param);
    return error;
  }

  /** The data of an error event in both forms: {@code root}'s own fields, then both forms. */
  private static String bothForms(ObjectNode root, ObjectNode error, long sequence) {
    root.put("type", "error");
    root.set("code", error.get("code"));
    root.set("message", error.get("message"));
    root.set("param", error.get("param"));
    root.put("sequence_number", sequence);
    root.set("error", error);
    return Json.MAPPER.writeValueAsString(root);
  }

  /** One more than the last event's number, or the count relayed when events carry none. */
  private static long nextSequence(SseFraming.Event last, long relayed) {
    JsonNode seq = last == null ? null : Api.dataJson(last).path("sequence_number");
    return seq != null && seq.canConvertToLong() ? seq.asLong() + 1 : relayed;
  }
}
