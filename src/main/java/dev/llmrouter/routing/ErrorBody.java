package dev.llmrouter.routing;

import dev.llmrouter.json.Json;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.wire.Api;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What an upstream's error body says, read once: the message, code and type of both APIs' JSON
 * shapes ({@code {"error": {"message", "type", "code"}}}, {@code {"type": "error", "error":
 * {"type", "message"}}}), the flat ones of OpenAI-compatible servers ({@code {"error": "..."}},
 * FastAPI's {@code {"detail": "..."}}, {@code {"message": "..."}}), or the text of a plain or HTML
 * body a proxy sent.
 *
 * @param message at most {@value #MAX_KEPT} characters, whitespace collapsed; null when none
 * @param code {@code error.code} (OpenAI) or null
 * @param type {@code error.type} or null
 */
record ErrorBody(String message, String code, String type) {

  /**
   * How much of an upstream's message the log and the router's own answers show; cut only after its
   * secrets are replaced (see {@link FallbackExecutor}).
   */
  static final int MAX_SHOWN = 300;

  /**
   * How much is kept to classify by ({@link #says}) and to redact: a bound on memory only. A key
   * cut here could not show: the text past {@link #MAX_SHOWN} never does.
   */
  static final int MAX_KEPT = 16 * 1024;

  /** Bodies past this size are not parsed for a reason: no provider's error is that long. */
  private static final int MAX_PARSED = 64 * 1024;

  static final ErrorBody NONE = new ErrorBody(null, null, null);

  /** The HTTP error status a numeric code stands for (OpenRouter: 429, 402...), else 0. */
  int httpStatus() {
    return Api.httpStatusOfCode(code);
  }

  static ErrorBody read(byte[] body) {
    if (body == null || body.length == 0) {
      return NONE;
    }
    int first = firstNonSpace(body);
    if (first >= 0 && body[first] == '{' && body.length <= MAX_PARSED) {
      try {
        return fromJson(Json.MAPPER.readTree(body));
      } catch (JacksonException e) {
        // not JSON after all: read it as text
      }
    }
    // Cut where no key is split: collapsing white space may bring the end near the start, and the
    // detail is redacted after, where only a whole key is found.
    int end = body.length <= MAX_PARSED ? body.length : Redactor.cutPoint(body, MAX_PARSED);
    String text = new String(body, 0, end, StandardCharsets.UTF_8);
    return new ErrorBody(shorten(fromText(text)), null, null);
  }

  private static ErrorBody fromJson(JsonNode root) {
    JsonNode error = root.path("error");
    String message = null;
    String code = null;
    String type = null;
    if (error.isObject()) {
      message = text(error.path("message"));
      code = text(error.path("code"));
      type = text(error.path("type"));
    } else if (error.isString()) {
      message = error.stringValue(); // Ollama, some vLLM builds
    }
    if (message == null) {
      message = text(root.path("message"));
    }
    if (message == null) {
      message = text(root.path("detail")); // FastAPI-based servers
    }
    return new ErrorBody(shorten(message), code, type);
  }

  /** A string, or a number as text (some servers send numeric codes); null otherwise. */
  private static String text(JsonNode node) {
    if (node.isString()) {
      return node.stringValue();
    }
    return node.isNumber() ? node.asString() : null;
  }

  /** An HTML page's title, or the text without its tags. */
  private static String fromText(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    int title = lower.indexOf("<title>");
    int end = title < 0 ? -1 : lower.indexOf("</title>", title);
    if (end > title) {
      return text.substring(title + "<title>".length(), end);
    }
    return lower.contains("<html") || lower.contains("<body")
        ? text.replaceAll("<[^>]*>", " ")
        : text;
  }

  private static String shorten(String message) {
    if (message == null) {
      return null;
    }
    String collapsed = message.replaceAll("\\s+", " ").strip();
    if (collapsed.isEmpty()) {
      return null;
    }
    return collapsed.length() <= MAX_KEPT
        ? collapsed
        : collapsed.substring(0, Redactor.cutPoint(collapsed, MAX_KEPT));
  }

  private static int firstNonSpace(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if (body[i] != ' ' && body[i] != '\n' && body[i] != '\r' && body[i] != '\t') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The start of the message, what it is classified by: the rest may echo the client's request (a
   * validation error quoting the input), and a prompt's words must not decide a provider's fate
   * ("credit balance is too low" would skip it for every client).
   */
  String head() {
    return message == null || message.length() <= MAX_SHOWN
        ? message
        : message.substring(0, MAX_SHOWN);
  }

  /**
   * Whether the code, the type or the message's {@link #head} (case-insensitive) contains any of
   * {@code words}.
   */
  boolean says(String... words) {
    String head = head();
    String all =
        (code == null ? "" : code + " ")
            + (type == null ? "" : type + " ")
            + (head == null ? "" : head.toLowerCase(Locale.ROOT));
    for (String w : words) {
      if (all.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code error.code} or {@code error.type} is exactly {@code value}. */
  boolean is(String value) {
    return value.equals(code) || value.equals(type);
  }
}
