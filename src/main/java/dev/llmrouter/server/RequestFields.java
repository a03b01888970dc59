package dev.llmrouter.server;

import dev.llmrouter.json.Json;
import dev.llmrouter.upstream.ModelRewrite;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The few fields the router routes on, read with Jackson's streaming parser in one pass that also
 * proves the body is one well-formed JSON object. The body itself is forwarded untouched, or with
 * only its model ID replaced, at {@code modelRewrite}.
 *
 * @param modelRewrite where the top-level {@code model} string sits; null when there is none
 * @param includeUsage whether an OpenAI client asked for the usage chunk ({@code
 *     stream_options.include_usage}), which a translated stream must then send it
 * @param previousResponseId a Responses API request's {@code previous_response_id}: the response it
 *     continues, which only the provider that made it knows; null when there is none
 */
record RequestFields(
    String model,
    boolean stream,
    ModelRewrite modelRewrite,
    boolean includeUsage,
    String previousResponseId) {

  RequestFields(String model, boolean stream) {
    this(model, stream, null, false, null);
  }

  /** The body is not something any provider could accept; the message is safe to show. */
  static final class InvalidBody extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidBody(String message) {
      super(message, null, false, false);
    }
  }

  static RequestFields read(byte[] body) throws InvalidBody {
    if (body.length == 0) {
      throw new InvalidBody("The request body is empty; expected a JSON object.");
    }
    // Jackson reads past a UTF-8 byte order mark, but the body goes upstream (and into the log) as
    // it came, and RFC 8259 section 8.1 forbids the mark in JSON sent over a network: a provider
    // may refuse it, and a log line would not be JSON. (Notepad and PowerShell 5 write one.)
    if (body.length >= 3
        && body[0] == (byte) 0xEF
        && body[1] == (byte) 0xBB
        && body[2] == (byte) 0xBF) {
      throw new InvalidBody(
          "The request body starts with a byte order mark (U+FEFF); send the JSON without it.");
    }
    if (notUtf8(body)) {
      // Jackson would guess the encoding and read it, but the body goes upstream and into the log
      // as it came: JSON between systems is UTF-8 (RFC 8259 section 8.1), and no provider takes
      // UTF-16 (Notepad's "Unicode", PowerShell's Out-File).
      throw new InvalidBody(
          "The request body is not UTF-8 (it looks like UTF-16 or UTF-32); send JSON as UTF-8.");
    }
    String model = null;
    boolean stream = false;
    // The fields the router routes on, each at most once: a provider that reads the first of two
    // would not do what the router routed (Jackson's tree keeps the last).
    int seen = 0;
    boolean includeUsage = false;
    String previousResponseId = null;
    ModelRewrite rewrite = null;
    try (JsonParser p = Json.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidBody("The request body must be a JSON object.");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "model" -> {
            seen = once(seen, 1, name);
            if (value == JsonToken.VALUE_STRING) {
              long start = p.currentTokenLocation().getByteOffset();
              model = p.getString(); // reads to the closing quote
              rewrite = new ModelRewrite((int) start, (int) p.currentLocation().getByteOffset());
            } else {
              p.skipChildren();
            }
          }
          case "stream" -> {
            seen = once(seen, 2, name);
            if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
              stream = value == JsonToken.VALUE_TRUE;
            } else if (value != JsonToken.VALUE_NULL) {
              throw new InvalidBody("'stream' must be a boolean.");
            }
          }
          case "stream_options" -> {
            seen = once(seen, 8, name); // a translated stream sends usage as it says
            includeUsage = includeUsage(p, value);
          }
          case "previous_response_id" -> {
            seen = once(seen, 4, name);
            if (value == JsonToken.VALUE_STRING) {
              previousResponseId = p.getString();
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new InvalidBody("The request body is not valid JSON.");
      }
    } catch (tools.jackson.core.exc.StreamConstraintsException e) {
      // Valid JSON past the parser's limits (Jackson's defaults: 500 levels of nesting, numbers
      // of 1,000 digits, 20 MB strings): a limit, not a syntax error, and the message says so.
      throw new InvalidBody(
          "The request body passes a limit of the router's JSON parser: "
              + e.getOriginalMessage().replaceAll(", from `[^`]*`", "")
              + ".");
    } catch (JacksonException e) {
      var at = e.getLocation();
      throw new InvalidBody(
          at == null
              ? "The request body is not valid JSON."
              : "The request body is not valid JSON (line "
                  + at.getLineNr()
                  + ", column "
                  + at.getColumnNr()
                  + ").");
    }
    return new RequestFields(model, stream, rewrite, includeUsage, previousResponseId);
  }

  /** {@code seen} with {@code bit} added; refused when the field was already there. */
  private static int once(int seen, int bit, String name) throws InvalidBody {
    if ((seen & bit) != 0) {
      throw new InvalidBody("The request body has more than one '" + name + "' field.");
    }
    return seen | bit;
  }

  /** {@code "stream_options": {"include_usage": true}}, read in passing; the rest skipped. */
  private static boolean includeUsage(JsonParser p, JsonToken value) {
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    boolean include = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("include_usage")) {
        include = v == JsonToken.VALUE_TRUE;
      }
      p.skipChildren(); // a value of any kind, "include_usage": {} included: the provider judges
    }
    return include;
  }

  /**
   * UTF-16 or UTF-32 text: a byte-order mark of either, or a zero byte among the first two. JSON
   * text starts with an ASCII character (a brace, or white space), which UTF-8 writes as one
   * non-zero byte and every wider encoding pads with zeros.
   */
  private static boolean notUtf8(byte[] body) {
    if (body[0] == 0 || (body.length > 1 && body[1] == 0)) {
      return true;
    }
    return body.length > 1
        && ((body[0] == (byte) 0xFE && body[1] == (byte) 0xFF)
            || (body[0] == (byte) 0xFF && body[1] == (byte) 0xFE));
  }
}
