package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.logging.BodyShape;
import dev.llmrouter.logging.JsonlRequestLog;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.logging.RequestRecord;
import dev.llmrouter.logging.StreamLog;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.metrics.Metrics;
import dev.llmrouter.routing.AttemptRecord;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.ErrorKind;
import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One request to an API route: its identity, timing and config snapshot, so that every way it ends
 * logs the same fields, exactly once. Made by {@link Factory}.
 */
final class Call {

  /** What every call needs to start and to be logged. */
  record Factory(LiveConfig live, MemoryBudget budget, Metrics metrics, JsonlRequestLog log) {
    /**
     * @param api the endpoint's API (its error shape); null for a path under neither prefix
     * @param route the route's {@code route} label in metrics
     */
    Call start(Api api, String route, HttpExchange exchange, String clientKey) {
      return new Call(this, api, route, exchange, clientKey);
    }
  }

  private final Factory factory;
  final long startNanos = System.nanoTime();
  final long startMillis = System.currentTimeMillis();
  final String id = "req_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  final Api api;
  final String route;
  final String method;
  final String path;
  final RouterConfig config; // this request's snapshot, whatever reloads come
  final Redactor gatewayKeys;

  /** What this request holds of the memory budget; the log writer gives it back. */
  final MemoryBudget.Ledger memory;

  byte[] body;
  RequestFields fields = new RequestFields(null, false);

  /** The gateway key's id (never the key), when gateway auth is on. */
  final String clientKey;

  /** The body proved to be one JSON value (its fields were read): the log copies it as it is. */
  boolean requestIsJson;

  /** What is known of the answer's body: how the log keeps it. */
  BodyShape responseShape = BodyShape.UNCHECKED;

  /** Whether the record went to the log: every request gets exactly one. */
  boolean logged;

  private Call(Factory factory, Api api, String route, HttpExchange exchange, String clientKey) {
    this.factory = factory;
    this.api = api;
    this.route = route;
    this.method = exchange.getRequestMethod();
    this.path = exchange.getRequestURI().getRawPath();
    this.clientKey = clientKey;
    this.memory = factory.budget().ledger();
    LiveConfig.Snapshot snapshot = factory.live().get();
    this.config = snapshot.config();
    this.gatewayKeys = snapshot.gatewayKeys();
  }

  /** A handler's work: for this call, and for a whole exchange ({@link ExchangeEnd}). */
  @FunctionalInterface
  interface Work {
    void run() throws IOException;
  }

  /**
   * Runs the handler's work so that every way it ends leaves exactly one record: a client that went
   * away (or sent a broken body) is logged 499, a bug or an OutOfMemoryError (answered 500 by the
   * server) is logged 500. Logging also gives back the memory the request held.
   */
  void run(Work work) throws IOException {
    try {
      work.run();
    } catch (IOException e) {
      if (!logged) {
        log(499, null, List.of(), null, "client closed the connection", null);
      }
      throw e;
    } catch (Throwable t) {
      if (!logged) {
        log(500, null, List.of(), null, "internal error: " + t.getClass().getSimpleName(), null);
      }
      throw t;
    }
  }

  /**
   * Reads the request body into {@link #body}, within {@code server.max_body_bytes} and the memory
   * budget; false when it could not be read (answered here: 503, 413 or 400).
   */
  boolean readBody(HttpExchange exchange) throws IOException {
    try {
      RequestBodies.Body body =
          RequestBodies.read(exchange, config.server().maxBodyBytes(), memory);
      this.body = body.bytes();
      if (body.closeAfter()) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
    } catch (RequestBodies.OverBudget e) {
      // Bodies in flight already fill server.max_buffered_bytes: not one byte more is read.
      Headers out = exchange.getResponseHeaders();
      out.set("Connection", "close");
      Responses.retryAfter(out, Duration.ofSeconds(1));
      answerSelf(
          exchange,
          ErrorKind.UNAVAILABLE,
          "The router holds as many request and response bodies as its memory allows"
              + " (server.max_buffered_bytes); retry shortly.",
          List.of());
      return false;
    } catch (RequestBodies.TooLarge e) {
      // The unread rest of the body makes the connection unusable: close it after answering.
      exchange.getResponseHeaders().set("Connection", "close");
      answerSelf(
          exchange,
          ErrorKind.REQUEST_TOO_LARGE,
          "The request body exceeds the limit of " + e.limit + " bytes.",
          List.of());
      return false;
    } catch (IOException e) {
      // Ended early (the client went away or half-closed) or malformed chunks: whatever follows on
      // this connection cannot be trusted. The answer may not reach a client that is gone.
      exchange.getResponseHeaders().set("Connection", "close");
      answerSelf(
          exchange,
          ErrorKind.INVALID_REQUEST,
          "The request body could not be read: it ended early or its chunked encoding is"
              + " malformed.",
          List.of());
      return false;
    }
    return true;
  }

  /** The router answers by itself, in the endpoint's error shape, and logs it. */
  void answerSelf(
      HttpExchange exchange, ErrorKind kind, String message, List<AttemptRecord> attempts)
      throws IOException {
    // As the console line and the log count them: providers called, skips excluded. A count set
    // already (a provider answered, then its answer could not be passed on) is kept.
    exchange
        .getResponseHeaders()
        .putIfAbsent(
            "x-router-attempts", List.of(Integer.toString(AttemptRecord.countTried(attempts))));
    byte[] body = Responses.errorBody(api, kind, message);
    try {
      Responses.error(exchange, kind, body);
    } finally {
      log(kind.status, null, attempts, body, message, null); // the answer, as for a provider's
    }
  }

  /**
   * The client's headers as they may go upstream: the gateway key never does, wherever the client
   * put it. Null when one cannot be sent at all (answered 400 here).
   */
  List<HeaderPolicy.Header> upstreamHeaders(HttpExchange exchange) throws IOException {
    List<HeaderPolicy.Header> headers =
        HeaderPolicy.toUpstream(
            exchange.getRequestHeaders(), gatewayKeys::containsSecret, gatewayKeys::namesASecret);
    String unforwardable = HeaderPolicy.firstUnsendable(headers);
    if (unforwardable != null) {
      answerSelf(
          exchange,
          ErrorKind.INVALID_REQUEST,
          "The value of the header " + unforwardable + " contains a control character.",
          List.of());
      return null;
    }
    return headers;
  }

  /** The client's query as it may go upstream (a gateway key in it is dropped). */
  String upstreamQuery(HttpExchange exchange) {
    return HeaderPolicy.queryToUpstream(
        exchange.getRequestURI().getRawQuery(), gatewayKeys::containsSecret);
  }

  private String endpoint() {
    return api == null ? "none" : api.id();
  }

  void log(
      int status,
      String provider,
      List<AttemptRecord> attempts,
      byte[] response,
      String error,
      StreamLog stream) {
    logged = true;
    long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
    factory
        .metrics()
        .request(
            endpoint(),
            route,
            status,
            attempts,
            micros,
            stream == null ? -1 : stream.firstEventMicros());
    factory
        .log()
        .submit(
            new RequestRecord(
                id,
                startMillis,
                micros,
                endpoint(),
                method,
                path,
                fields.model(),
                fields.stream(),
                status,
                provider,
                attempts,
                body,
                response,
                requestIsJson,
                response == null ? BodyShape.UNCHECKED : responseShape,
                error,
                stream,
                clientKey,
                config.server().maxResponseBytes(),
                memory));
  }
}
