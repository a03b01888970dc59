package dev.llmrouter.testkit;

import dev.llmrouter.mock.MockBodies;
import dev.llmrouter.wire.Api;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable script for how {@link FakeUpstream} answers one request. Build one with a static
 * factory and refine it with the {@code with…}/{@code delayed}/SSE modifiers, each of which returns
 * a new instance.
 */
public final class Reply {

  /** What the fake does on the wire. */
  enum Kind {
    /** Status line, headers, a Content-Length body. */
    RESPONSE,
    /** Full Content-Length header, only part of the body, then close. */
    TRUNCATED,
    /** Never answer; hold the connection. */
    HANG,
    /** Close with a TCP RST and send nothing. */
    RESET,
    /** Write exact bytes and close. */
    RAW,
    /** A chunked text/event-stream body. */
    SSE,
    /**
     * A chunked body that never ends: the body bytes again and again until the client goes away,
     * the fake is closed or {@link ReplyWriter#ENDLESS_LIMIT} is reached.
     */
    ENDLESS
  }

  /** How an SSE stream ends. */
  enum StreamEnd {
    /** Terminating zero chunk; the connection may be reused. */
    COMPLETE,
    /** Orderly socket close with no zero chunk. */
    CLOSE,
    /** RST with no zero chunk. */
    RESET,
    /** Go silent and hold the connection open. */
    HANG
  }

  /** One response header, in the order added. */
  record Header(String name, String value) {}

  final Kind kind;
  final int status;
  final List<Header> headers;
  private final byte[] body;
  final int bytesSent;
  final Duration delay;
  final List<String> events;
  final Duration eventGap;
  final StreamEnd streamEnd;
  final int endAfter;

  private Reply(
      Kind kind,
      int status,
      List<Header> headers,
      byte[] body,
      int bytesSent,
      Duration delay,
      List<String> events,
      Duration eventGap,
      StreamEnd streamEnd,
      int endAfter) {
    this.kind = kind;
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body.clone();
    this.bytesSent = bytesSent;
    this.delay = delay;
    this.events = List.copyOf(events);
    this.eventGap = eventGap;
    this.streamEnd = streamEnd;
    this.endAfter = endAfter;
  }

  private static Reply of(Kind kind, int status, List<Header> headers, byte[] body) {
    return new Reply(
        kind,
        status,
        headers,
        body,
        0,
        Duration.ZERO,
        List.of(),
        Duration.ZERO,
        StreamEnd.COMPLETE,
        -1);
  }

  /** The body bytes (a copy). */
  byte[] body() {
    return body.clone();
  }

  // ---------------------------------------------------------------- factories

  /** {@code status} with {@code Content-Type: application/json} and the given body. */
  public static Reply json(int status, String body) {
    return text(status, "application/json", body);
  }

  /** {@code status} with the given content type and a UTF-8 body, framed by Content-Length. */
  public static Reply text(int status, String contentType, String body) {
    checkStatus(status);
    return of(
        Kind.RESPONSE,
        status,
        List.of(new Header("Content-Type", contentType)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** A realistic OpenAI Chat Completions 200 answering {@code "Hello!"}. */
  public static Reply openAiOk() {
    return openAiOk("Hello!");
  }

  /** A realistic OpenAI Chat Completions 200 whose assistant message is {@code text}. */
  public static Reply openAiOk(String text) {
    byte[] body = MockBodies.completion(Api.OPENAI, WireShapes.OPENAI_MODEL, text);
    return json(200, new String(body, StandardCharsets.UTF_8))
        .withHeader("x-request-id", WireShapes.requestId());
  }

  /** A realistic Anthropic Messages 200 answering {@code "Hello!"}. */
  public static Reply anthropicOk() {
    return anthropicOk("Hello!");
  }

  /** A realistic Anthropic Messages 200 whose single text block is {@code text}. */
  public static Reply anthropicOk(String text) {
    byte[] body = MockBodies.completion(Api.ANTHROPIC, WireShapes.ANTHROPIC_MODEL, text);
    return json(200, new String(body, StandardCharsets.UTF_8))
        .withHeader("request-id", WireShapes.requestId());
  }

  /**
   * An OpenAI error: {@code {"error":{"message","type","param":null,"code"}}}.
   *
   * @param code the error code, or {@code null} for JSON null
   */
  public static Reply openAiError(int status, String type, String code, String message) {
    return json(
            status,
            WireShapes.JSON.writeValueAsString(WireShapes.openAiErrorNode(type, code, message)))
        .withHeader("x-request-id", WireShapes.requestId());
  }

  /** An Anthropic error: {@code {"type":"error","error":{"type","message"}}}. */
  public static Reply anthropicError(int status, String type, String message) {
    return json(
            status,
            WireShapes.JSON.writeValueAsString(WireShapes.anthropicErrorNode(type, message)))
        .withHeader("request-id", WireShapes.requestId());
  }

  /** A well-framed 200 {@code application/json} whose body is {@code this is not json}. */
  public static Reply badJson() {
    return json(200, "this is not json");
  }

  /** Read the request, then never answer until the client goes away or the fake is closed. */
  public static Reply hang() {
    return of(Kind.HANG, 0, List.of(), new byte[0]);
  }

  /** Read the request, then close the connection with a TCP RST, sending nothing. */
  public static Reply reset() {
    return of(Kind.RESET, 0, List.of(), new byte[0]);
  }

  /**
   * Send {@code Content-Length} for the whole body but only its first {@code bytesSent} bytes, then
   * close the connection.
   */
  public static Reply truncated(int status, String body, int bytesSent) {
    checkStatus(status);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (bytesSent < 0 || bytesSent >= bytes.length) {
      throw new IllegalArgumentException(
          "bytesSent must be in [0, " + bytes.length + "), was " + bytesSent);
    }
    return new Reply(
        Kind.TRUNCATED,
        status,
        List.of(new Header("Content-Type", "application/json")),
        bytes,
        bytesSent,
        Duration.ZERO,
        List.of(),
        Duration.ZERO,
        StreamEnd.COMPLETE,
        -1);
  }

  /** Write exactly these bytes (nothing else), then close the connection. */
  public static Reply raw(byte[] bytes) {
    return of(Kind.RAW, 0, List.of(), bytes);
  }

  /**
   * A 200 {@code text/event-stream} sent with chunked transfer coding, one flushed chunk per event.
   *
   * @param events complete event texts without the trailing blank line (the fake appends {@code
   *     "\n\n"}), e.g. {@code "data: {...}"} or {@code "event: ping\ndata: {...}"}
   */
  public static Reply sse(List<String> events) {
    return new Reply(
        Kind.SSE,
        200,
        List.of(
            new Header("Content-Type", "text/event-stream"),
            new Header("Cache-Control", "no-cache")),
        new byte[0],
        0,
        Duration.ZERO,
        events,
        Duration.ZERO,
        StreamEnd.COMPLETE,
        -1);
  }

  /**
   * A 200 {@code application/json} whose chunked body never ends (an upstream gone mad, or a
   * hostile one): {@code xxxx...} forever.
   */
  public static Reply endlessJson() {
    byte[] unit = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    return of(Kind.ENDLESS, 200, List.of(new Header("Content-Type", "application/json")), unit);
  }

  /** A 200 {@code text/event-stream} that sends {@code event} (without its blank line) forever. */
  public static Reply endlessSse(String event) {
    String one = event + "\n\n";
    byte[] unit =
        one.repeat(Math.max(1, 16 * 1024 / one.length())).getBytes(StandardCharsets.UTF_8);
    return of(
        Kind.ENDLESS,
        200,
        List.of(
            new Header("Content-Type", "text/event-stream"),
            new Header("Cache-Control", "no-cache")),
        unit);
  }

  /** A 200 event stream whose only event is one {@code data:} line of {@code bytes} bytes. */
  public static Reply hugeSseLine(int bytes) {
    return sse(List.of("data: {\"pad\":\"" + "x".repeat(bytes) + "\"}"));
  }

  // ---------------------------------------------------------------- modifiers

  /**
   * The same response with its body gzip-compressed and {@code Content-Encoding: gzip}, as a
   * provider or a proxy in front of it may send whatever the request asked for.
   */
  public Reply gzipped() {
    requireKind("gzipped", Kind.RESPONSE);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<Header> h = new ArrayList<>(headers);
    h.add(new Header("Content-Encoding", "gzip"));
    return new Reply(
        kind,
        status,
        h,
        out.toByteArray(),
        bytesSent,
        delay,
        events,
        eventGap,
        streamEnd,
        endAfter);
  }

  /**
   * Adds a response header (sent after the factory's own headers). Framing headers ({@code
   * Content-Length}, {@code Transfer-Encoding}) are written by the fake; use {@link #raw} to fake
   * those.
   */
  public Reply withHeader(String name, String value) {
    requireKind("withHeader", Kind.RESPONSE, Kind.TRUNCATED, Kind.SSE, Kind.ENDLESS);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if ((name + value).chars().anyMatch(c -> c == '\r' || c == '\n') || name.indexOf(':') >= 0) {
      throw new IllegalArgumentException("header would break framing: " + name + ": " + value);
    }
    List<Header> h = new ArrayList<>(headers);
    h.add(new Header(name, value));
    return new Reply(
        kind, status, h, body, bytesSent, delay, events, eventGap, streamEnd, endAfter);
  }

  /** Waits {@code d} after reading the request before sending anything (cut short by close). */
  public Reply delayed(Duration d) {
    requireNonNegative(d);
    return new Reply(
        kind, status, headers, body, bytesSent, d, events, eventGap, streamEnd, endAfter);
  }

  /** SSE only: waits {@code gap} between consecutive events (cut short by close). */
  public Reply eventGap(Duration gap) {
    requireKind("eventGap", Kind.SSE);
    requireNonNegative(gap);
    return new Reply(
        kind, status, headers, body, bytesSent, delay, events, gap, streamEnd, endAfter);
  }

  /**
   * SSE only: after {@code n} events stop without the terminating zero chunk, either with a TCP RST
   * ({@code rst}) or an orderly close, so the client sees a truncated chunked body.
   */
  public Reply breakAfter(int n, boolean rst) {
    requireKind("breakAfter", Kind.SSE);
    requireCount(n);
    return new Reply(
        kind,
        status,
        headers,
        body,
        bytesSent,
        delay,
        events,
        eventGap,
        rst ? StreamEnd.RESET : StreamEnd.CLOSE,
        n);
  }

  /**
   * SSE only: after {@code n} events go silent, holding the connection open until the client goes
   * away or the fake is closed.
   */
  public Reply hangAfter(int n) {
    requireKind("hangAfter", Kind.SSE);
    requireCount(n);
    return new Reply(
        kind, status, headers, body, bytesSent, delay, events, eventGap, StreamEnd.HANG, n);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case RESPONSE, TRUNCATED -> kind + " " + status + " " + headers + " delay=" + delay;
      case SSE ->
          kind
              + " "
              + events.size()
              + " events gap="
              + eventGap
              + " end="
              + streamEnd
              + (endAfter >= 0 ? "@" + endAfter : "");
      case HANG, RESET, RAW, ENDLESS -> kind + " delay=" + delay;
    };
  }

  private void requireKind(String what, Kind... allowed) {
    for (Kind k : allowed) {
      if (k == kind) {
        return;
      }
    }
    throw new IllegalStateException(what + " does not apply to a " + kind + " reply");
  }

  private static void requireNonNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative duration " + d);
    }
  }

  private static void requireCount(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative event count " + n);
    }
  }

  private static void checkStatus(int status) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("bad status " + status);
    }
  }
}
