package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.logging.JsonlRequestLog;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.logging.RequestRecord;
import dev.llmrouter.routing.FallbackExecutor;
import dev.llmrouter.routing.RoutingResult;
import dev.llmrouter.routing.RoutingResult.Answered;
import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.upstream.Api;
import dev.llmrouter.upstream.ErrorKind;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.upstream.OutboundRequest;
import dev.llmrouter.upstream.UpstreamClient;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Serves the two proxy endpoints: read, validate, walk the providers, answer, log. */
final class ProxyHandler {

  private final RouterConfig config;
  private final FallbackExecutor executor = new FallbackExecutor();
  private final UpstreamClient upstream;
  private final JsonlRequestLog log;
  private final Redactor redactor;

  ProxyHandler(
      RouterConfig config, UpstreamClient upstream, JsonlRequestLog log, Redactor redactor) {
    this.config = config;
    this.upstream = upstream;
    this.log = log;
    this.redactor = redactor;
  }

  void handle(HttpExchange exchange, Api api) throws IOException {
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    String id = "req_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    String path = exchange.getRequestURI().getRawPath();
    exchange.getResponseHeaders().set("x-router-request-id", id);

    byte[] body;
    try {
      body = RequestBodies.read(exchange, config.server().maxBodyBytes());
    } catch (RequestBodies.TooLarge e) {
      // The unread rest of the body makes the connection unusable: close it after answering.
      exchange.getResponseHeaders().set("Connection", "close");
      String message = "The request body exceeds the limit of " + e.limit + " bytes.";
      Responses.error(exchange, api, ErrorKind.REQUEST_TOO_LARGE, message);
      log.submit(
          selfAnswered(id, startMillis, startNanos, api, path, null, false, 413, null, message));
      return;
    }

    RequestFields fields;
    try {
      fields = RequestFields.read(body);
    } catch (RequestFields.InvalidBody e) {
      Responses.error(exchange, api, ErrorKind.INVALID_REQUEST, e.getMessage());
      log.submit(
          selfAnswered(
              id, startMillis, startNanos, api, path, null, false, 400, body, e.getMessage()));
      return;
    }

    List<ProviderConfig> providers = api == Api.OPENAI ? config.openai() : config.anthropic();
    OutboundRequest request =
        new OutboundRequest(
            api,
            exchange.getRequestURI().getRawQuery(),
            HeaderPolicy.toUpstream(exchange.getRequestHeaders()),
            body,
            fields.stream());
    long deadline = startNanos + config.server().requestTimeout().toNanos();
    RoutingResult result =
        executor.execute(
            providers, deadline, (provider, timeout) -> upstream.send(provider, request, timeout));

    switch (result) {
      case Answered a -> {
        Headers out = exchange.getResponseHeaders();
        for (HeaderPolicy.Header h : HeaderPolicy.toClient(a.response().headers())) {
          out.add(h.name(), h.value());
        }
        out.set("x-router-provider", a.provider().name());
        out.set("x-router-attempts", Integer.toString(a.attempts().size()));
        Responses.send(exchange, a.response().status(), null, a.response().body());
        log.submit(
            new RequestRecord(
                id,
                startMillis,
                micros(startNanos),
                api.id(),
                path,
                fields.model(),
                fields.stream(),
                a.response().status(),
                a.provider().name(),
                a.attempts(),
                body,
                a.response().body(),
                null));
      }
      case Exhausted x -> {
        String message = redactor.redact(x.message());
        Headers out = exchange.getResponseHeaders();
        out.set("x-router-attempts", Integer.toString(x.attempts().size()));
        if (x.retryAfter() != null) {
          long seconds = Math.max(1, (x.retryAfter().toMillis() + 999) / 1000);
          out.set("Retry-After", Long.toString(seconds));
        }
        if (x.retryAfter() != null && x.retryAfter().toSeconds() <= 60) {
          // Waiting out a short rate limit can work: let the SDK retry after Retry-After.
          out.set("x-should-retry", "true");
        }
        Responses.error(exchange, api, x.kind(), message);
        log.submit(
            new RequestRecord(
                id,
                startMillis,
                micros(startNanos),
                api.id(),
                path,
                fields.model(),
                fields.stream(),
                x.kind().status,
                null,
                x.attempts(),
                body,
                null,
                message));
      }
    }
  }

  private static RequestRecord selfAnswered(
      String id,
      long startMillis,
      long startNanos,
      Api api,
      String path,
      String model,
      boolean stream,
      int status,
      byte[] body,
      String error) {
    return new RequestRecord(
        id,
        startMillis,
        micros(startNanos),
        api.id(),
        path,
        model,
        stream,
        status,
        null,
        List.of(),
        body,
        null,
        error);
  }

  private static long micros(long startNanos) {
    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNanos);
  }
}
