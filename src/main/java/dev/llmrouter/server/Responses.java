package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.upstream.StreamWatchdog;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.ErrorKind;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

/** Writes complete responses; errors always in the dialect of the path they answer. */
final class Responses {

  private Responses() {}

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    send(exchange, status, contentType, body, (WriteStall) null);
  }

  /**
   * As {@link #send(HttpExchange, int, String, byte[])}; a body larger than one slice (more than
   * the socket's buffers are sure to take at once) is written under a {@link WriteStall}, so that a
   * client that stopped reading does not hold the request for as long as it keeps the connection.
   */
  static void send(
      HttpExchange exchange, int status, String contentType, byte[] body, StreamWatchdog watchdog)
      throws IOException {
    if (body.length <= WRITE_SLICE) {
      send(exchange, status, contentType, body, (WriteStall) null);
      return;
    }
    WriteStall stall = new WriteStall(exchange, WriteStall.LIMIT_NANOS);
    watchdog.add(stall);
    try {
      send(exchange, status, contentType, body, stall);
    } finally {
      stall.over();
      watchdog.remove(stall);
    }
  }

  private static void send(
      HttpExchange exchange, int status, String contentType, byte[] body, WriteStall stall)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    boolean noBody = head || body.length == 0 || status == 204 || status == 304;
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        write(out, body, stall);
        if (stall != null) {
          // The JDK server's own buffer (8 KiB) goes out on close: a write that may block too.
          stall.writing();
          out.flush();
          stall.wrote();
        }
      }
    }
  }

  /** The largest piece handed to the JDK server's output stream at once. */
  private static final int WRITE_SLICE = 64 * 1024;

  /**
   * Writes {@code bytes} in slices of at most 64 KiB. The JDK server copies each write into a
   * buffer of its own that it grows to twice the write's size and keeps for the connection's life
   * ({@code sun.net.httpserver.Request.WriteStream}): one 60 MB write would take 120 MB of heap,
   * and hold it while the connection stays open.
   */
  static void write(OutputStream out, byte[] bytes) throws IOException {
    write(out, bytes, null);
  }

  /** As {@link #write(OutputStream, byte[])}, each slice timed by {@code stall} (when not null). */
  static void write(OutputStream out, byte[] bytes, WriteStall stall) throws IOException {
    for (int at = 0; at < bytes.length; at += WRITE_SLICE) {
      if (stall != null) {
        stall.writing();
      }
      out.write(bytes, at, Math.min(WRITE_SLICE, bytes.length - at));
      if (stall != null) {
        stall.wrote();
      }
    }
  }

  /**
   * Adds the upstream headers {@link HeaderPolicy} lets through, each value scanned for secrets: a
   * provider that echoes its key in a header ({@code x-error: bad key sk-...}) must not hand it on.
   */
  static void addUpstreamHeaders(
      Headers out, List<HeaderPolicy.Header> headers, Redactor redactor) {
    for (HeaderPolicy.Header h : headers) {
      if (!redactor.namesASecret(h.name())) { // a key as a header's name ("x-debug-sk-...")
        out.add(h.name(), redactor.redact(h.value()));
      }
    }
    // Each SDK reads its own provider's name for the request id (openai: x-request-id,
    // anthropic: request-id): an answer from a provider of the other API, translated, carries it
    // under the name the client's SDK reads too, for a support ticket or a log search.
    String openAi = out.getFirst("x-request-id");
    String anthropic = out.getFirst("request-id");
    if (openAi == null && anthropic != null) {
      out.set("x-request-id", anthropic);
    } else if (anthropic == null && openAi != null) {
      out.set("request-id", openAi);
    }
  }

  /**
   * {@code x-router-provider}: the provider that answered. Left out, as {@code x-router-model} is,
   * when the name cannot travel in a header unaltered (the JDK client refuses some characters and
   * sends others as Latin-1); the log and the console name it either way.
   */
  static void providerHeader(Headers out, String provider) {
    String shown = HeaderPolicy.displayValue(provider);
    if (shown != null) {
      out.set("x-router-provider", shown);
    }
  }

  /** Beyond this wait, an SDK is told not to retry by itself: the wait is too long to sit out. */
  private static final long MAX_RETRY_HINT_SECONDS = 60;

  /**
   * The one place the router tells a client when to try again: {@code Retry-After} in whole seconds
   * (rounded up, at least 1), and {@code x-should-retry: true} when that is short enough for an SDK
   * to wait out by itself (the SDKs obey it over the status, PROTOCOLS.md 4).
   */
  static void retryAfter(Headers out, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    out.set("Retry-After", Long.toString(seconds));
    if (seconds <= MAX_RETRY_HINT_SECONDS) {
      out.set("x-should-retry", "true");
    }
  }

  /**
   * A provider's error passed on as it is (a conversation's own provider, a stored response's
   * answer, an error no other provider would answer differently): the router made every retry that
   * could help. Left to their defaults the SDKs would send a 5xx, 408 or 409 twice more, each
   * retried again by the router (PROTOCOLS.md 4). A 429 keeps the SDKs' own wait.
   */
  static void passedOnAsItIs(Headers out, int status) {
    if (status >= 400 && status != 429) {
      out.set("x-should-retry", "false");
    }
  }

  /**
   * A router-made error: OpenAI shape under /openai, Anthropic shape under /anthropic, the OpenAI
   * shape (the most widely parsed) elsewhere. {@code x-should-retry: false} because the router has
   * already done every retry that could help; SDKs obey it over the status (PROTOCOLS.md 4). A
   * caller that knows better (a short rate limit) sets the header first.
   */
  static void error(HttpExchange exchange, Api api, ErrorKind kind, String message)
      throws IOException {
    error(exchange, kind, errorBody(api, kind, message));
  }

  /** A router-made error's body, in the shape {@link #error} sends it: for the log's copy. */
  static byte[] errorBody(Api api, ErrorKind kind, String message) {
    return (api == null ? Api.OPENAI : api).errorBody(kind, message);
  }

  /** Sends a body made by {@link #errorBody}, with the headers every router-made error has. */
  static void error(HttpExchange exchange, ErrorKind kind, byte[] body) throws IOException {
    Headers out = exchange.getResponseHeaders();
    out.putIfAbsent("x-should-retry", List.of("false"));
    String id = out.getFirst("x-router-request-id");
    if (id != null) {
      // Where the SDKs look for a request's id (Anthropic's request-id, OpenAI's x-request-id):
      // an error report then names the router's log line.
      out.putIfAbsent("request-id", List.of(id));
      out.putIfAbsent("x-request-id", List.of(id));
    }
    send(exchange, kind.status, "application/json", body);
  }
}
