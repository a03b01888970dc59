package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.logging.BodyShape;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.logging.StreamAssembler;
import dev.llmrouter.logging.StreamLog;
import dev.llmrouter.routing.AttemptRecord;
import dev.llmrouter.routing.FallbackExecutor;
import dev.llmrouter.routing.ResponseAffinity;
import dev.llmrouter.routing.RoutingResult;
import dev.llmrouter.routing.RoutingResult.Answered;
import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.routing.Target;
import dev.llmrouter.upstream.HeaderPolicy;
import dev.llmrouter.upstream.OutboundRequest;
import dev.llmrouter.upstream.Outgoing;
import dev.llmrouter.upstream.UpstreamClient;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.ErrorKind;
import dev.llmrouter.wire.Operation;
import dev.llmrouter.wire.ResponseIds;
import dev.llmrouter.wire.SseFraming;
import dev.llmrouter.wire.Translator;
import dev.llmrouter.wire.WholeAnswerStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Serves the proxied POST routes: read, validate, walk the providers, answer, log. */
final class ProxyHandler {

  private final Call.Factory calls;
  private final FallbackExecutor executor;
  private final UpstreamClient upstream;
  private final Redactor redactor;

  /** Notices clients that leave while their request waits upstream; null where it cannot. */
  private final ClientWatch clientWatch;

  /** True once shutdown's grace has run out: open streams end now. */
  private final BooleanSupplier cutting;

  /** Which provider made each Responses API response: requests about one go there. */
  private final ResponseAffinity affinity;

  private final TargetChoice targetChoice;

  ProxyHandler(
      Call.Factory calls,
      FallbackExecutor executor,
      UpstreamClient upstream,
      Redactor redactor,
      ClientWatch clientWatch,
      BooleanSupplier cutting,
      ResponseAffinity affinity) {
    this.calls = calls;
    this.affinity = affinity;
    this.targetChoice = new TargetChoice(redactor, affinity);
    this.executor = executor;
    this.clientWatch = clientWatch;
    this.cutting = cutting;
    this.upstream = upstream;
    this.redactor = redactor;
  }

  /**
   * Refused before anything else (401, 404, 405, 413, 503): no body is read and no upstream is
   * called, but the request is logged, so that an operator sees what clients call in vain.
   *
   * @param route null for a path the router does not serve
   * @param clientKey the id of the gateway key the client presented, when it had a valid one
   */
  void reject(HttpExchange exchange, Route route, ErrorKind kind, String message, String clientKey)
      throws IOException {
    Call call =
        route == null
            ? calls.start(
                Route.apiForPath(exchange.getRequestURI().getRawPath()),
                Route.UNKNOWN_LABEL,
                exchange,
                clientKey)
            : calls.start(route.api, route.label, exchange, clientKey);
    // As on every answer to a request the log records: the id to find its line by.
    exchange.getResponseHeaders().set("x-router-request-id", call.id);
    answerSelf(exchange, call, kind, message);
  }

  void handle(HttpExchange exchange, Route route, String clientKey) throws IOException {
    Call call = calls.start(route.api, route.label, exchange, clientKey);
    call.run(() -> handle(exchange, call, route.operation));
  }

  private void handle(HttpExchange exchange, Call call, Operation operation) throws IOException {
    if (!readBody(exchange, call)) {
      return;
    }
    OutboundRequest request = outbound(exchange, call, operation);
    if (request == null) {
      return;
    }
    TargetChoice.Choice choice = targetChoice.choose(exchange, call, operation);
    if (choice == null) {
      return;
    }
    List<Target> targets = choice.targets();
    Target holder = choice.holder();
    long deadline = call.startNanos + call.config.server().requestTimeout().toNanos();
    String model = call.fields.model();
    AtomicReference<Translated> translated = new AtomicReference<>();
    // A stream asked for may come back whole (a provider that ignores "stream"): translated in its
    // attempt as well, so that JSON that is no answer of the provider's API moves on.
    FallbackExecutor.Attempt attempt =
        (t, timeout) ->
            Translated.inAttempt(
                Translator.between(call.api, speaks(call, t.provider())),
                request.stream()
                    ? upstream.openStream(
                        outgoing(t, model), request, timeout, t.provider().streamIdleTimeout())
                    : upstream.send(outgoing(t, model), request, timeout),
                call.body,
                translated);
    RoutingResult result =
        walk(
            exchange,
            call,
            holder != null
                ? () -> executor.executeOnly(holder, deadline, attempt)
                : () ->
                    executor.execute(
                        targets,
                        deadline,
                        call.config.server().maxCooldownWait(),
                        operation,
                        attempt));
    if (result == null) {
      return; // the client went away: logged, nothing to answer
    }
    switch (result) {
      case Answered a -> answer(exchange, call, operation, a, translated.get());
      case Exhausted x -> exhausted(exchange, call, x);
    }
  }

  /** The API a provider speaks: its endpoint's (the client's) unless it chose the other. */
  private static Api speaks(Call call, ProviderConfig provider) {
    return provider.api() == null ? call.api : Api.of(provider.api());
  }

  /** Reads the body and the fields routed on; false when the request was answered instead. */
  private boolean readBody(HttpExchange exchange, Call call) throws IOException {
    exchange.getResponseHeaders().set("x-router-request-id", call.id);
    if (!call.readBody(exchange)) {
      return false;
    }
    try {
      call.fields = RequestFields.read(call.body);
      call.requestIsJson = true;
    } catch (RequestFields.InvalidBody e) {
      answerSelf(exchange, call, ErrorKind.INVALID_REQUEST, e.getMessage());
      return false;
    }
    return true;
  }

  /**
   * What goes to every provider tried: the body, the client's query and its headers, filtered; null
   * when a header cannot be sent (answered here).
   */
  private OutboundRequest outbound(HttpExchange exchange, Call call, Operation operation)
      throws IOException {
    List<HeaderPolicy.Header> headers = call.upstreamHeaders(exchange);
    if (headers == null) {
      return null;
    }
    return new OutboundRequest(
        operation,
        call.upstreamQuery(exchange),
        headers,
        call.body,
        call.fields.stream(),
        call.config.server().maxResponseBytes(),
        call.memory,
        call.fields.modelRewrite(),
        call.startNanos + call.config.server().requestTimeout().toNanos());
  }

  /** What one attempt sends: the provider, its model ID if it differs, its translated request. */
  private static Outgoing outgoing(Target t, String requested) {
    return new Outgoing(
        t.provider(), t.keepsModel(requested) ? null : t.model(), t.translatedBody());
  }

  /**
   * Walks the providers while the client's connection is watched: a client that goes away cancels
   * the upstream call at once (the handler is interrupted), frees its slot and is logged 499, as
   * nginx logs a client that closed first. Null in that case.
   */
  private RoutingResult walk(HttpExchange exchange, Call call, Supplier<RoutingResult> walker) {
    Thread handler = Thread.currentThread();
    AtomicBoolean gone = new AtomicBoolean();
    ClientWatch.Watch watch =
        clientWatch == null
            ? null
            : clientWatch.watch(
                exchange,
                () -> {
                  gone.set(true);
                  handler.interrupt();
                });
    RoutingResult result;
    boolean usable = true;
    try {
      result = walker.get();
    } finally {
      if (watch != null) {
        usable = watch.release();
      }
    }
    if (gone.get()) {
      Thread.interrupted(); // the watch's interrupt, not a shutdown's
      if (result instanceof Answered a && a.response() instanceof Streaming s) {
        s.rest().close();
        if (a.streamVerdict() != null) {
          a.streamVerdict().ended(null); // it answered; the client left before the relay
        }
      }
      call.log(499, null, result.attempts(), null, "client closed the connection", null);
      return null;
    }
    if (!usable) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    return result;
  }

  /**
   * A whole answer to a request that asked for a stream (the upstream ignored {@code "stream"}), as
   * the stream the client expects ({@link WholeAnswerStream}); the answer as it is where there is
   * none to make. The log keeps the answer.
   */
  private static byte[] asStream(Headers out, Operation operation, Call call, byte[] answer) {
    byte[] stream = WholeAnswerStream.of(operation, answer, call.fields.includeUsage());
    if (stream == null) {
      return answer;
    }
    out.set("Content-Type", "text/event-stream");
    out.set("Cache-Control", "no-cache");
    return stream;
  }

  /** The answer is a success of the classifier's, not a failure returned as it is. */
  private static boolean succeeded(Answered a) {
    List<AttemptRecord> attempts = a.attempts();
    return !attempts.isEmpty()
        && attempts.get(attempts.size() - 1).action() == AttemptRecord.Action.SUCCESS;
  }

  private void answer(
      HttpExchange exchange, Call call, Operation operation, Answered a, Translated translated)
      throws IOException {
    Headers out = exchange.getResponseHeaders();
    Responses.providerHeader(out, a.provider().name());
    String model = HeaderPolicy.displayValue(redactor.redact(a.target().model()));
    if (model != null) {
      out.set("x-router-model", model);
    }
    out.set("x-router-attempts", Integer.toString(AttemptRecord.countTried(a.attempts())));
    // A provider of the other API answered: its answer goes back in the client's API.
    Api speaks = speaks(call, a.provider());
    Translator translator = Translator.between(call.api, speaks);
    switch (a.response()) {
      case Completed c -> {
        Responses.addUpstreamHeaders(out, HeaderPolicy.toClient(c.headers(), c.status()), redactor);
        Responses.passedOnAsItIs(out, c.status());
        byte[] answer = c.body();
        if (translator != null) {
          try {
            answer =
                c.status() < 300
                    ? (translated != null && translated.of(c)
                        ? translated.body() // made in the attempt
                        : translator.response(answer, call.body))
                    // Secrets out before the translator cuts a long message: cut first, a key
                    // that straddles the cut would keep its first part past the scan below.
                    : translator.error(c.status(), redactor.redact(answer));
          } catch (IllegalArgumentException e) {
            // A 2xx JSON body that is no answer of the provider's API: nothing to pass on.
            answerSelf(
                exchange,
                call,
                ErrorKind.UPSTREAM_FAILED,
                "Provider "
                    + a.provider().name()
                    + " answered with a body its API does not define.");
            return;
          }
          out.set("Content-Type", "application/json");
        }
        // Providers echo keys in error bodies ("Incorrect API key provided: ..."), and a model can
        // repeat one it was shown: every body passed on is scanned (the same array when clean).
        byte[] body = redactor.redact(answer);
        // A 2xx that succeeded passed the classifier's JSON check (or is the translator's
        // output). A pinned request's 2xx that failed the check is returned as it came: unchecked.
        boolean proven = c.status() < 300 && (translator != null || succeeded(a));
        call.responseShape =
            !proven
                ? BodyShape.UNCHECKED
                : operation == Operation.EMBEDDINGS ? BodyShape.EMBEDDINGS : BodyShape.JSON;
        if (operation == Operation.RESPONSES && c.status() < 300) {
          remember(ResponseIds.ofResponse(body), a);
        }
        byte[] sent = proven && call.fields.stream() ? asStream(out, operation, call, body) : body;
        try {
          Responses.send(exchange, c.status(), null, sent, upstream.watchdog());
        } finally {
          call.log(c.status(), a.provider().name(), a.attempts(), body, null, null);
        }
      }
      case Streaming s -> {
        if (operation == Operation.RESPONSES) {
          remember(createdId(s), a);
        }
        StreamLog stream = null;
        try {
          stream =
              StreamRelay.relay(
                  exchange,
                  new StreamRelay.Dialect(
                      operation,
                      operation.servedBy(speaks),
                      translator == null
                          ? null
                          : translator.stream(call.fields.includeUsage(), call.body)),
                  s,
                  upstream.watchdog(),
                  redactor,
                  cutting,
                  new StreamAssembler(
                      operation, call.config.server().maxResponseBytes(), call.memory),
                  a.provider().streamIdleTimeout());
        } finally {
          if (a.streamVerdict() != null) {
            a.streamVerdict().ended(stream); // how it ended is the provider's verdict
          }
        }
        call.log(s.status(), a.provider().name(), a.attempts(), null, null, stream);
      }
    }
  }

  /** Requests about this response go to the provider that made it from now on. */
  private void remember(String responseId, Answered a) {
    if (responseId != null) {
      affinity.remember(responseId, a.provider().name());
    }
  }

  private void exhausted(HttpExchange exchange, Call call, Exhausted x) throws IOException {
    String message = redactor.redact(x.message());
    Headers out = exchange.getResponseHeaders();
    out.set("x-router-attempts", Integer.toString(AttemptRecord.countTried(x.attempts())));
    if (x.retryAfter() != null) {
      Responses.retryAfter(out, x.retryAfter()); // waiting out a rate limit can work
    }
    byte[] body = Responses.errorBody(call.api, x.kind(), message);
    try {
      Responses.error(exchange, x.kind(), body);
    } finally {
      call.log(x.kind().status, null, x.attempts(), body, message, null);
    }
  }

  /** The router answers by itself, before any upstream call. */
  private static void answerSelf(HttpExchange exchange, Call call, ErrorKind kind, String message)
      throws IOException {
    call.answerSelf(exchange, kind, message, List.of());
  }

  /**
   * The id a Responses stream's {@code response.created} carries: the first of its opening events,
   * held back with the commit point, or its first event when none was held.
   */
  private static String createdId(Streaming s) {
    for (SseFraming.Event e : s.preamble()) {
      String id = ResponseIds.ofCreatedEvent(e);
      if (id != null) {
        return id;
      }
    }
    return ResponseIds.ofCreatedEvent(s.first());
  }
}
