package dev.llmrouter.server;

import static dev.llmrouter.routing.AttemptRecord.Action.FALLBACK;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.config.Family;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.logging.StreamAssembler;
import dev.llmrouter.logging.StreamLog;
import dev.llmrouter.routing.AttemptRecord;
import dev.llmrouter.routing.FailureClass;
import dev.llmrouter.routing.FallbackExecutor;
import dev.llmrouter.routing.ResponseAffinity;
import dev.llmrouter.routing.Target;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.upstream.UpstreamClient;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.upstream.UpstreamOutcome.Response;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import dev.llmrouter.wire.ErrorKind;
import dev.llmrouter.wire.Operation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Serves the requests about one stored Responses API response: {@code GET} and {@code DELETE
 * /responses/<id>}, {@code POST .../cancel}, {@code GET .../input_items}. Only the provider that
 * made a response knows it: a known id goes there alone, its answer returned as it is. An id the
 * router does not know (made before a restart, or through another router) is asked of each OpenAI
 * provider in priority order, and the first answer other than 404 is the answer.
 */
final class StoredResponsesHandler {

  private final Call.Factory calls;
  private final UpstreamClient upstream;
  private final Redactor redactor;
  private final ResponseAffinity affinity;
  private final FallbackExecutor fallback;
  private final BooleanSupplier cutting;

  StoredResponsesHandler(
      Call.Factory calls,
      UpstreamClient upstream,
      Redactor redactor,
      ResponseAffinity affinity,
      FallbackExecutor fallback,
      BooleanSupplier cutting) {
    this.fallback = fallback;
    this.cutting = cutting;
    this.calls = calls;
    this.upstream = upstream;
    this.redactor = redactor;
    this.affinity = affinity;
  }

  void handle(HttpExchange exchange, Route route, String clientKey) throws IOException {
    Call call = calls.start(route.api, route.label, exchange, clientKey);
    exchange.getResponseHeaders().set("x-router-request-id", call.id);
    call.run(() -> handle(exchange, call));
  }

  /**
   * One provider's answer, or why there is none: the attempts, whether the request's deadline ended
   * the asking, and whether the last one asked timed out.
   */
  private record Asked(
      ProviderConfig provider,
      Response answer,
      List<AttemptRecord> attempts,
      boolean deadlinePassed,
      boolean lastTimedOut) {

    Asked(ProviderConfig provider, Response answer, List<AttemptRecord> attempts) {
      this(provider, answer, attempts, false, false);
    }
  }

  /** One provider asked, within a timeout. */
  @FunctionalInterface
  private interface Question {
    UpstreamOutcome ask(ProviderConfig provider, Duration timeout);
  }

  private void handle(HttpExchange exchange, Call call) throws IOException {
    if (call.method.equals("POST") && !call.readBody(exchange)) {
      return;
    }
    List<HeaderPolicy.Header> headers = call.upstreamHeaders(exchange);
    if (headers == null) {
      return;
    }
    Route.ResponsePath target = Route.ResponsePath.of(call.path);
    String id = target.id(); // decoded, and checked to be one segment (Route)
    if (call.gatewayKeys.containsSecret(id)) {
      // A gateway key is never sent to a provider: not in a header, a query, nor a path.
      call.answerSelf(
          exchange,
          ErrorKind.INVALID_REQUEST,
          "The response id holds a gateway key; not sent on.",
          List.of());
      return;
    }
    String query = call.upstreamQuery(exchange);
    String pathAndQuery =
        "/responses/"
            + Route.pathSegment(id)
            + target.rest()
            + (query == null || query.isEmpty() ? "" : "?" + query);
    String holder = affinity.providerOf(id);
    List<ProviderConfig> providers = askable(call, holder);
    boolean pinned =
        providers.size() == 1
            && providers.get(0).api() == Family.OPENAI
            && providers.get(0).name().equals(holder);
    long maxBytes = call.config.server().maxResponseBytes();
    // ?stream=true on a response (how the SDKs resume a background one): relayed as a stream.
    boolean streaming =
        call.method.equals("GET") && target.rest().isEmpty() && Route.asksForStream(query);
    if (streaming) {
      call.fields = new RequestFields(null, true); // no body says so: the log's "stream" does
    }
    Asked asked =
        ask(call, providers, pinned, question(call, pathAndQuery, headers, streaming, maxBytes));
    boolean none = providers.stream().noneMatch(p -> p.api() == Family.OPENAI);
    int tried = AttemptRecord.countTried(asked.attempts());
    if (asked.answer() == null) {
      exchange.getResponseHeaders().set("x-router-attempts", Integer.toString(tried));
      noAnswer(exchange, call, id, asked, none);
      return;
    }
    Response answer = asked.answer();
    if (answer.status() < 300) {
      if (call.method.equals("DELETE")) {
        affinity.forget(id);
      } else if (!pinned) {
        // Found by asking around: known from now on (a known one keeps its age, so it expires).
        affinity.remember(id, asked.provider().name());
      }
    }
    relay(exchange, call, asked, tried, maxBytes);
  }

  /** How each provider is asked: the stored response's stream, or one answer. */
  private Question question(
      Call call,
      String pathAndQuery,
      List<HeaderPolicy.Header> headers,
      boolean streaming,
      long maxBytes) {
    return streaming
        ? (p, timeout) ->
            upstream.storedResponseStream(p, pathAndQuery, headers, timeout, maxBytes, call.memory)
        : (p, timeout) ->
            upstream.storedResponse(
                p,
                // HEAD is answered from a GET: the router sends the headers, without the body.
                call.method.equals("HEAD") ? "GET" : call.method,
                pathAndQuery,
                headers,
                call.body,
                timeout,
                maxBytes,
                call.memory);
  }

  /** The provider's answer, passed on: its status, headers and body, or its stream. */
  private void relay(HttpExchange exchange, Call call, Asked asked, int tried, long maxBytes)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    Responses.providerHeader(out, asked.provider().name());
    out.set("x-router-attempts", Integer.toString(tried));
    switch (asked.answer()) {
      case Completed c -> {
        Responses.addUpstreamHeaders(out, HeaderPolicy.toClient(c.headers(), c.status()), redactor);
        Responses.passedOnAsItIs(out, c.status());
        byte[] body = redactor.redact(c.body());
        try {
          Responses.send(exchange, c.status(), null, body, upstream.watchdog());
        } finally {
          call.log(c.status(), asked.provider().name(), asked.attempts(), body, null, null);
        }
      }
      case Streaming s -> {
        StreamLog stream =
            StreamRelay.relay(
                exchange,
                new StreamRelay.Dialect(Operation.RESPONSES, Operation.RESPONSES, null),
                s,
                upstream.watchdog(),
                redactor,
                cutting,
                new StreamAssembler(Operation.RESPONSES, maxBytes, call.memory),
                asked.provider().streamIdleTimeout());
        call.log(s.status(), asked.provider().name(), asked.attempts(), null, null, stream);
      }
    }
  }

  /**
   * No provider answered other than 404: 404 when every one asked said so (and every one was
   * asked); else, as on the other routes, 504 when the deadline passed or the last one timed out,
   * 502 otherwise, each provider's failure named.
   */
  private void noAnswer(HttpExchange exchange, Call call, String id, Asked asked, boolean none)
      throws IOException {
    int tried = AttemptRecord.countTried(asked.attempts());
    boolean allSaid404 =
        tried > 0
            && !asked.deadlinePassed()
            && asked.attempts().stream()
                .allMatch(a -> a.status() == 404 || a.action() == AttemptRecord.Action.SKIPPED);
    String shown = redactor.shown(id);
    if (allSaid404 || none) {
      call.answerSelf(
          exchange,
          ErrorKind.NOT_FOUND,
          "No provider of this endpoint knows the response '" + shown + "'.",
          asked.attempts());
      return;
    }
    boolean timeout = asked.deadlinePassed() || asked.lastTimedOut();
    String why =
        asked.deadlinePassed()
            ? "The request deadline passed"
            : asked.lastTimedOut() ? "The last provider timed out" : "All providers failed";
    call.answerSelf(
        exchange,
        timeout ? ErrorKind.UPSTREAM_TIMEOUT : ErrorKind.UPSTREAM_FAILED,
        why
            + " asking about the response '"
            + shown
            + "': "
            + redactor.redact(AttemptRecord.summary(asked.attempts())),
        asked.attempts());
  }

  /**
   * The provider that made the response when the router knows it (and it still speaks the OpenAI
   * API after any reload); else every provider of the endpoint, those of the other API to be logged
   * as passed over.
   */
  private static List<ProviderConfig> askable(Call call, String holder) {
    for (ProviderConfig p : call.config.openai()) {
      if (p.api() == Family.OPENAI && p.name().equals(holder)) {
        return List.of(p);
      }
    }
    return call.config.openai();
  }

  /**
   * Asks the providers in order until one answers other than 404; the only provider asked (the
   * response's maker) is the answer whatever it says.
   */
  private Asked ask(Call call, List<ProviderConfig> providers, boolean pinned, Question question) {
    List<AttemptRecord> attempts = new ArrayList<>(providers.size());
    long deadline = call.startNanos + call.config.server().requestTimeout().toNanos();
    boolean lastTimedOut = false;
    for (ProviderConfig p : providers) {
      if (p.api() != Family.OPENAI) {
        // That API keeps no responses to ask about: passed over, as a walk passes it.
        attempts.add(AttemptRecord.untranslatable(new Target(p, null, null, Target.OTHER_API)));
        continue;
      }
      long start = System.nanoTime();
      if (deadline - start <= 0) {
        return new Asked(null, null, attempts, true, lastTimedOut);
      }
      Duration timeout = Duration.ofNanos(Math.min(p.timeout().toNanos(), deadline - start));
      UpstreamOutcome outcome = question.ask(p, timeout);
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      if (Thread.currentThread().isInterrupted()) {
        break; // shutdown past its grace period: no further provider is asked
      }
      if (outcome instanceof Streaming s) {
        attempts.add(attempt(p, s.status(), null, null, micros, AttemptRecord.Action.SUCCESS));
        return new Asked(p, s, attempts);
      }
      if (outcome instanceof Completed c && (c.status() != 404 || pinned)) {
        // Its answer is the answer, an error included: logged and counted as chat's would be.
        AttemptRecord.Action action =
            c.status() < 300 ? AttemptRecord.Action.SUCCESS : AttemptRecord.Action.RETURNED;
        attempts.add(attempt(p, c.status(), null, null, micros, action));
        return new Asked(p, c, attempts);
      }
      AttemptRecord next =
          switch (outcome) {
            case Completed c ->
                attempt(p, c.status(), null, "does not know this response", micros, FALLBACK);
            case Failed f ->
                attempt(
                    p,
                    0,
                    fallback.failedOutsideWalk(new Target(p, null), f),
                    f.detail(),
                    micros,
                    FALLBACK);
            default -> attempt(p, 0, null, "no answer", micros, FALLBACK);
          };
      attempts.add(next);
      lastTimedOut = outcome instanceof Failed f && f.type() == FailureType.TIMEOUT;
    }
    return new Asked(null, null, attempts, false, lastTimedOut);
  }

  private static AttemptRecord attempt(
      ProviderConfig p,
      int status,
      FailureClass failureClass,
      String detail,
      long micros,
      AttemptRecord.Action action) {
    return new AttemptRecord(
        p.name(), null, status, failureClass, detail, null, 0, micros, 0, action, null);
  }
}
