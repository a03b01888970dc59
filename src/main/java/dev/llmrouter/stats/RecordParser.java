package dev.llmrouter.stats;

import dev.llmrouter.logging.UsageTokens;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one log line with the streaming parser: the few fields {@code stats} counts, every other
 * value skipped token by token. A request or response body can be megabytes; it is walked past,
 * never built into a tree or a string.
 */
final class RecordParser {

  /** The line is not a request record: not one JSON object, or a counted field missing or odd. */
  static final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedRecordException(String why) {
      super(why, null, false, false); // thrown per bad line: no stack trace to fill
    }
  }

  private RecordParser() {}

  /**
   * The record on the parser's line, or null for a blank line.
   *
   * @throws MalformedRecordException for a line that is JSON but not a request record
   * @throws JacksonException for a line that is not JSON (or an I/O failure underneath)
   */
  static LogRecord read(JsonParser p) throws MalformedRecordException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return null;
    }
    if (first != JsonToken.START_OBJECT) {
      throw new MalformedRecordException("not an object");
    }
    LogRecord record = object(p);
    if (p.nextToken() != null) {
      throw new MalformedRecordException("more than one value on the line");
    }
    return record;
  }

  /**
   * The record whose {@code START_OBJECT} is the parser's current token, read to its {@code
   * END_OBJECT}.
   *
   * @throws MalformedRecordException when it is not a request record
   */
  static LogRecord object(JsonParser p) throws MalformedRecordException {
    Instant time = null;
    double duration = Double.NaN;
    String endpoint = null;
    String model = null;
    String provider = null;
    int status = -1;
    Boolean completed = null;
    double firstEvent = Double.NaN;
    long[] tokens = new long[2];
    List<LogRecord.Attempt> attempts = List.of();
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "time" -> time = time(p, t);
        case "duration_ms" -> duration = number(p, t);
        case "endpoint" -> endpoint = text(p, t);
        case "model" -> model = text(p, t);
        case "provider" -> provider = text(p, t);
        case "status" -> status = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
        case "attempts" -> attempts = attempts(p, t);
        case "stream_result" -> {
          if (t == JsonToken.START_OBJECT) {
            double[] ms = {Double.NaN};
            completed = streamResult(p, ms);
            firstEvent = ms[0];
          } else {
            p.skipChildren();
          }
        }
        case "usage" -> usage(p, t, tokens);
        default -> p.skipChildren(); // request, response and the rest: walked past, not built
      }
    }
    if (time == null || endpoint == null || status < 0 || Double.isNaN(duration)) {
      throw new MalformedRecordException("time, endpoint, status or duration_ms missing");
    }
    return new LogRecord(
        time,
        duration,
        endpoint,
        model,
        provider,
        status,
        completed,
        firstEvent,
        tokens[0],
        tokens[1],
        attempts);
  }

  private static Instant time(JsonParser p, JsonToken t) throws MalformedRecordException {
    if (t != JsonToken.VALUE_STRING) {
      p.skipChildren();
      return null;
    }
    try {
      return Instants.parse(p.getString());
    } catch (DateTimeException e) {
      throw new MalformedRecordException("time is not an ISO instant");
    }
  }

  private static double number(JsonParser p, JsonToken t) {
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    p.skipChildren();
    return Double.NaN;
  }

  /** A string value, or null for anything else (null included). */
  private static String text(JsonParser p, JsonToken t) {
    if (t == JsonToken.VALUE_STRING) {
      return p.getString();
    }
    p.skipChildren();
    return null;
  }

  private static List<LogRecord.Attempt> attempts(JsonParser p, JsonToken t) {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return List.of();
    }
    List<LogRecord.Attempt> all = new ArrayList<>(2);
    JsonToken next;
    while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
      if (next != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String provider = null;
      String failureClass = null;
      boolean called = true;
      String name;
      while ((name = p.nextName()) != null) {
        JsonToken v = p.nextToken();
        switch (name) {
          case "provider" -> provider = text(p, v);
          case "class" -> failureClass = text(p, v);
          case "action" -> called = !"skipped".equals(text(p, v));
          default -> p.skipChildren();
        }
      }
      all.add(new LogRecord.Attempt(provider, failureClass, called));
    }
    return all;
  }

  /** Reads {@code completed} (returned) and {@code first_event_ms} (into {@code ms[0]}). */
  private static Boolean streamResult(JsonParser p, double[] ms) {
    Boolean completed = null;
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken v = p.nextToken();
      switch (name) {
        case "completed" -> {
          completed = v.isBoolean() ? Boolean.valueOf(v == JsonToken.VALUE_TRUE) : null;
          p.skipChildren();
        }
        case "first_event_ms" -> ms[0] = number(p, v);
        default -> p.skipChildren();
      }
    }
    return completed;
  }

  /** The usage's two counts, by the rule of {@code /metrics}' counters ({@code UsageTokens}). */
  private static void usage(JsonParser p, JsonToken t, long[] tokens) {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    UsageTokens.Counts counts = UsageTokens.read(p);
    tokens[0] = UsageTokens.plus(tokens[0], counts.input());
    tokens[1] = UsageTokens.plus(tokens[1], counts.output());
  }
}
