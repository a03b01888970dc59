package dev.llmrouter.wire;

import dev.llmrouter.config.Family;
import dev.llmrouter.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two wire dialects the router speaks: where requests go upstream, how the provider key is
 * presented, and what an error body looks like, so that every error a client sees is in the shape
 * its own SDK parses.
 */
public enum Api {
  OPENAI("openai") {
    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
      ObjectNode root = Json.MAPPER.createObjectNode();
      ObjectNode error = root.putObject("error");
      error.put("message", message);
      error.put("type", kind.openAiType);
      error.put("param", kind.openAiParam); // null unless one field is at fault
      error.put("code", kind.openAiCode);
      return Json.MAPPER.writeValueAsBytes(root);
    }

    @Override
    public boolean isFinalEvent(SseFraming.Event event) {
      // As both OpenAI SDKs test it (a startsWith): a server that sends "[DONE] " ends too.
      String data = event.data();
      return data != null && data.startsWith("[DONE]");
    }

    @Override
    public boolean isErrorEvent(SseFraming.Event event) {
      if ("error".equals(event.name())) {
        return true; // openai-node throws on any event named error, whatever its data
      }
      String data = event.data();
      if (data == null || data.isEmpty() || data.charAt(0) != '{') {
        return false;
      }
      // Chunks start with "id" and an error object with "error", but OpenRouter reports a failure
      // after generation started as a chunk with an "error" field among the others (PROTOCOLS.md,
      // provider quirks): only a chunk with a set "error" key is parsed (see mayCarryError).
      return mayCarryError(data) && errorEventStatus(event) != 0;
    }

    /**
     * Whether {@code "error"} occurs as a key with a value other than {@code null} or {@code
     * false}. Inside a JSON string a quote is escaped, so those bytes are a key or the value {@code
     * "error"} (a {@code finish_reason}); {@code "error":null} is in every Responses API object.
     */
    private static boolean mayCarryError(String data) {
      for (int at = data.indexOf("\"error\""); at >= 0; at = data.indexOf("\"error\"", at + 1)) {
        int i = ChatChunks.skipSpace(data, at + 7);
        if (i < data.length() && data.charAt(i) == ':') {
          i = ChatChunks.skipSpace(data, i + 1);
          if (i < data.length() && data.charAt(i) != 'n' && data.charAt(i) != 'f') {
            return true;
          }
        }
      }
      return false;
    }

    @Override
    public byte[] streamErrorEvent(ErrorKind kind, String message) {
      // Both OpenAI SDKs raise APIError on any data: JSON with an "error" key (PROTOCOLS.md 1.3).
      return SseFraming.event(null, new String(errorBody(kind, message), StandardCharsets.UTF_8));
    }

    @Override
    public int errorEventStatus(SseFraming.Event event) {
      JsonNode data = dataJson(event);
      if ("error".equals(event.name()) && !data.has("error")) {
        return openAiErrorStatus(data); // flat: {"message", "type", "code"}
      }
      JsonNode error = data.path("error");
      // The SDKs raise on any truthy "error" (PROTOCOLS.md 0.1), not only on an object.
      if (error.isMissingNode()
          || error.isNull()
          || (error.isBoolean() && !error.asBoolean())
          || (error.isString() && error.asString().isEmpty())) {
        return 0;
      }
      return openAiErrorStatus(error);
    }
  },

  ANTHROPIC("anthropic") {
    @Override
    public byte[] errorBody(ErrorKind kind, String message) {
      ObjectNode root = Json.MAPPER.createObjectNode();
      root.put("type", "error");
      ObjectNode error = root.putObject("error");
      error.put("type", kind.anthropicType);
      error.put("message", message);
      return Json.MAPPER.writeValueAsBytes(root);
    }

    @Override
    public boolean isFinalEvent(SseFraming.Event event) {
      // Some compatible servers send data: lines only: their message_stop ends the stream too,
      // although the SDKs, which dispatch on the event's name, skip it.
      return event.is("message_stop");
    }

    @Override
    public boolean isErrorEvent(SseFraming.Event event) {
      return event.is("error"); // named, or "type": "error" from a server that sends no names
    }

    @Override
    public byte[] streamErrorEvent(ErrorKind kind, String message) {
      // The Anthropic SDKs dispatch on the event name: only "event: error" raises.
      return SseFraming.event(
          "error", new String(errorBody(kind, message), StandardCharsets.UTF_8));
    }

    @Override
    public int errorEventStatus(SseFraming.Event event) {
      JsonNode data = dataJson(event);
      // An error event names itself; one without its event line still says "type": "error".
      if (!"error".equals(event.name()) && !"error".equals(data.path("type").asString(""))) {
        return 0;
      }
      // The status the same error has outside a stream (PROTOCOLS.md 2.4).
      return switch (data.path("error").path("type").asString("")) {
        case "invalid_request_error" -> 400;
        case "authentication_error" -> 401;
        case "billing_error" -> 402;
        case "permission_error" -> 403;
        case "not_found_error" -> 404;
        case "request_too_large" -> 413;
        case "rate_limit_error" -> 429;
        case "timeout_error" -> 504;
        case "overloaded_error" -> 529;
        default -> 500;
      };
    }
  };

  /** Sent when the client names none: the one version every Messages deployment accepts. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  private final String id;

  Api(String id) {
    this.id = id;
  }

  /** The API of a family, as the config names it. */
  public static Api of(Family family) {
    return family == Family.OPENAI ? OPENAI : ANTHROPIC;
  }

  /** This API's family, as the config names it. */
  public Family family() {
    return this == OPENAI ? Family.OPENAI : Family.ANTHROPIC;
  }

  /** The endpoint id used in paths, logs and config: {@code openai} or {@code anthropic}. */
  public String id() {
    return id;
  }

  /**
   * Where a provider of this API lists its models: OpenAI bases carry the version ({@code
   * /models}); Anthropic's list pages at 20 by default, so one page of the most it gives (1000).
   */
  public URI modelsUri(URI baseUrl) {
    return this == OPENAI
        ? join(baseUrl, "/models", null)
        : join(baseUrl, "/v1/models", "limit=1000");
  }

  /**
   * Where a provider of this API describes one model ({@code segment}: its id, percent-encoded as
   * one path segment). Anthropic's resolves an alias to its dated id there.
   */
  public URI modelUri(URI baseUrl, String segment) {
    return join(baseUrl, (this == OPENAI ? "/models/" : "/v1/models/") + segment, null);
  }

  /** A complete error body in this dialect's native shape. */
  public abstract byte[] errorBody(ErrorKind kind, String message);

  /** Whether this event is the protocol's last: OpenAI {@code [DONE]}, Anthropic message_stop. */
  public abstract boolean isFinalEvent(SseFraming.Event event);

  /** Whether this event is the upstream reporting an error in the protocol. */
  public abstract boolean isErrorEvent(SseFraming.Event event);

  /** The one event the router sends to end a committed stream that broke, in this dialect. */
  public abstract byte[] streamErrorEvent(ErrorKind kind, String message);

  /** The HTTP status an error event stands for, or 0 when the event is not an error. */
  public abstract int errorEventStatus(SseFraming.Event event);

  /**
   * The status an OpenAI-style error object stands for, from its {@code code} and {@code type}: the
   * Chat Completions and Responses streams report errors with the same words.
   */
  static int openAiErrorStatus(JsonNode error) {
    // In the flat form of a Responses error event, "type" is the event's own ("error"): the code
    // alone says what happened, and a request error must not pass for a server error.
    String code = error.path("code").asString("");
    int status = httpStatusOfCode(code);
    if (status != 0) {
      return status; // OpenRouter: {"error": {"code": 429, ...}} in a 200 stream
    }
    String kind = code + " " + error.path("type").asString("");
    if (kind.contains("rate_limit")
        || kind.contains("too_many_requests")
        || kind.contains("insufficient_quota")) {
      return 429;
    }
    if (code.equals("invalid_api_key")) {
      return 401;
    }
    if (kind.contains("invalid_request")
        || code.startsWith("invalid_")
        || code.equals("context_length_exceeded")) {
      return 400;
    }
    if (kind.contains("overloaded") || kind.contains("unavailable")) {
      return 503;
    }
    return 500;
  }

  /**
   * The HTTP status an error code of digits stands for: OpenRouter's {@code error.code} is the
   * status it would have answered (PROTOCOLS.md 8.2); 0 for a word code or none.
   */
  public static int httpStatusOfCode(String code) {
    if (code == null || code.length() != 3) {
      return 0;
    }
    for (int i = 0; i < 3; i++) {
      if (code.charAt(i) < '0' || code.charAt(i) > '9') {
        return 0;
      }
    }
    int status = Integer.parseInt(code);
    return status >= 400 && status <= 599 ? status : 0;
  }

  /** An event's data as JSON: a missing node when it has none (an event: line alone) or no JSON. */
  static JsonNode dataJson(SseFraming.Event event) {
    if (event.data() == null || event.data().isEmpty()) {
      return Json.MAPPER.missingNode();
    }
    try {
      return Json.MAPPER.readTree(event.data());
    } catch (JacksonException e) {
      return Json.MAPPER.missingNode();
    }
  }

  /** The provider's base URL with a path and the client's query (if any) appended. */
  static URI join(URI baseUrl, String path, String rawQuery) {
    String base = baseUrl.toString();
    String uri = base + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    return URI.create(uri);
  }
}
