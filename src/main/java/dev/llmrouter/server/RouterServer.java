package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.logging.JsonlRequestLog;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.metrics.Metrics;
import dev.llmrouter.routing.FallbackExecutor;
import dev.llmrouter.routing.ProviderRegistry;
import dev.llmrouter.routing.ResponseAffinity;
import dev.llmrouter.upstream.UpstreamClient;
import dev.llmrouter.wire.ErrorKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The inbound side: a JDK {@link HttpServer} with one virtual thread per exchange and one root
 * handler that dispatches on the exact raw path (so {@code %2e%2e} and friends simply 404).
 */
public final class RouterServer {

  private final HttpServer server;

  /** Runs the exchanges until a drain starts; stop() waits for its handlers to end. */
  private final ExecutorService executor;

  /** Runs the exchanges that arrive during a drain: each is answered at once. */
  private final ExecutorService drainExecutor;

  private final Readiness readiness;

  private final ProxyHandler proxy;
  private final ModelsHandler models;
  private final StoredResponsesHandler storedResponses;

  /** Which provider made each Responses API response; kept across reloads. */
  private final ResponseAffinity affinity;

  private final InfoPages pages;
  private final Redactor redactor;
  private final LiveConfig live;

  /** Set when shutdown's grace has run out: streams end themselves with an error event. */
  private final AtomicBoolean cutting = new AtomicBoolean();

  private final Semaphore inFlight;

  /** The in-flight cap, fixed at start: holding every permit means no request is running. */
  private final int maxInFlight;

  /** Bodies held at once, across requests ({@code server.max_buffered_bytes}, fixed at start). */
  private final MemoryBudget budget;

  private final ClientWatch clientWatch;

  /** The walks of every route: told when a stop begins, so that none waits past its grace. */
  private final ProviderRegistry registry;

  private final FallbackExecutor fallback;

  private final Metrics metrics;

  private RouterServer(
      HttpServer server,
      RouterConfig config,
      UpstreamClient upstream,
      JsonlRequestLog log,
      ProviderRegistry registry,
      Redactor redactor) {
    this.server = server;
    this.redactor = redactor;
    this.live = new LiveConfig(config, server.getAddress().getAddress().isLoopbackAddress());
    this.maxInFlight = config.server().maxInFlight();
    this.inFlight = new Semaphore(maxInFlight);
    this.budget = new MemoryBudget(config.server().maxBufferedBytes());
    this.metrics = new Metrics();
    log.countTokens(metrics::tokens); // on the log's writer thread, which reads the usage anyway
    this.clientWatch = ClientWatch.start();
    Call.Factory calls = new Call.Factory(live, budget, metrics, log);
    this.registry = registry;
    this.fallback = new FallbackExecutor(registry, redactor::redact);
    this.affinity =
        new ResponseAffinity(
            config.server().responseAffinityMax(), config.server().responseAffinityTtl());
    this.proxy =
        new ProxyHandler(calls, fallback, upstream, redactor, clientWatch, cutting::get, affinity);
    this.storedResponses =
        new StoredResponsesHandler(calls, upstream, redactor, affinity, fallback, cutting::get);
    this.models = new ModelsHandler(calls, fallback, upstream, redactor);
    this.pages =
        new InfoPages(
            live,
            registry,
            metrics,
            redactor,
            () -> config.server().maxInFlight() - inFlight.availablePermits(),
            () -> log.alive() ? upstream.deadThread() : "the request log writer",
            this::notReady);
    this.executor = handlerExecutor();
    this.drainExecutor = handlerExecutor();
    this.readiness = new Readiness(executor, drainExecutor);
    server.setExecutor(readiness);
    server.createContext("/", this::dispatch);
  }

  /**
   * One virtual thread per exchange, as designed, on JDK 24 and later. On JDK 21-23 a virtual
   * thread blocked inside the JDK server's own synchronized socket reads and writes pins its
   * carrier (JEP 491 lifted that in 24), so as many slow clients as there are cores would stall
   * every handler: there, platform threads serve instead.
   */
  private static ExecutorService handlerExecutor() {
    if (Runtime.version().feature() >= 24) {
      return Executors.newVirtualThreadPerTaskExecutor();
    }
    return Executors.newCachedThreadPool(
        Thread.ofPlatform().name("router-handler-", 0).daemon(true).factory());
  }

  /**
   * Binds the configured address without serving yet, so that a caller can do what must wait for a
   * bound port (open the log files) before {@link #start(HttpServer, RouterConfig, UpstreamClient,
   * JsonlRequestLog, ProviderRegistry, Redactor)}. A server that never started does not let go of
   * its port on {@code stop(0)} alone: start it first (as {@code Router.start} does on failure).
   */
  public static HttpServer bind(ServerSettings settings) throws IOException {
    JdkServerTuning.apply();
    return HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 1024);
  }

  /** Starts serving on a server from {@link #bind}. */
  public static RouterServer start(
      HttpServer bound,
      RouterConfig config,
      UpstreamClient upstream,
      JsonlRequestLog log,
      ProviderRegistry registry,
      Redactor redactor) {
    RouterServer router = new RouterServer(bound, config, upstream, log, registry, redactor);
    bound.start();
    return router;
  }

  /**
   * From now on {@code GET /health/ready} answers 200: everything the router needs is set up. Until
   * then it answers 503. Does nothing once a stop has begun.
   */
  public void ready() {
    readiness.ready();
  }

  /** Why the router takes no traffic now (starting, draining), in one line; null when it does. */
  private String notReady() {
    return readiness.notReady();
  }

  /**
   * Serves later requests with {@code config}; requests already running finish on theirs. The
   * address, the in-flight cap and the log directory stay as they were at start.
   */
  public void apply(RouterConfig config) {
    live.set(config);
    registry.retain(config); // a changed or removed provider starts fresh if it comes back
    affinity.limits(config.server().responseAffinityMax(), config.server().responseAffinityTtl());
    metrics.reloadApplied();
  }

  /** A changed config file was invalid and not applied: shown in {@code /metrics}. */
  public void reloadRejected() {
    metrics.reloadRejected();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Drains: from now on {@code /health/ready} answers 503 and new requests get a 503 that says to
   * retry (the port stays open, so that a load balancer's probe sees the drain rather than a
   * refused connection); in-flight requests and streams may finish for up to {@code grace}, then
   * the rest is interrupted: a stream ends with an error event in its protocol, a request still
   * walking its providers is answered 503. Only then does the port close, and the JDK server with
   * it, so those last answers reach their clients. Returns once every handler has handed over its
   * log record (bounded): at once when nothing runs.
   *
   * @return true when every request and stream finished within {@code grace}; false when some were
   *     cut
   */
  public boolean stop(Duration grace) {
    readiness.drain();
    fallback.stopWaiting(System.nanoTime() + grace.toNanos());
    boolean drained = false;
    boolean allBack = false;
    try {
      // Every in-flight request holds a permit until its record is logged: all permits free means
      // nothing runs (new requests are refused by the drain, and take none).
      drained = inFlight.tryAcquire(maxInFlight, grace.toNanos(), TimeUnit.NANOSECONDS);
      allBack = drained;
      if (!drained) {
        // Streams first, by closing their upstream (within a watchdog tick): interrupting a thread
        // that is writing to its client would close that client's connection mid-event.
        cutting.set(true);
        allBack = inFlight.tryAcquire(maxInFlight, CUT_WINDOW.toNanos(), TimeUnit.NANOSECONDS);
        if (!allBack) {
          executor.shutdownNow();
          allBack =
              inFlight.tryAcquire(maxInFlight, INTERRUPT_WINDOW.toNanos(), TimeUnit.NANOSECONDS);
        }
      }
      executor.shutdown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeServer();
      if (clientWatch != null) {
        clientWatch.close();
      }
      if (allBack) {
        // The port is closed: nothing can take them. inFlight() then says what runs: nothing.
        inFlight.release(maxInFlight);
      }
    }
    return drained;
  }

  /** Requests being served now (streams included). */
  public int inFlight() {
    return maxInFlight - inFlight.availablePermits();
  }

  /**
   * Closes the port and the connections once every handler of ours has ended. The JDK server counts
   * an exchange whose client vanished mid-body (an aborted upload) as open until its delay ends,
   * which would hold the stop: its own thread closes what is left while this one moves on.
   */
  private void closeServer() {
    Thread jdkStop =
        Thread.ofPlatform().daemon().name("http-server-stop").start(() -> server.stop(1));
    try {
      jdkStop.join(JDK_STOP_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      drainExecutor.shutdownNow();
    }
  }

  /** How long the JDK server gets to close its connections once every handler has ended. */
  private static final Duration JDK_STOP_WAIT = Duration.ofMillis(500);

  /** How long interrupted handlers get to write their last answer and log record. */
  private static final Duration INTERRUPT_WINDOW = Duration.ofSeconds(2);

  /** How long streams get to end by themselves before the rest is interrupted. */
  private static final Duration CUT_WINDOW = Duration.ofMillis(500);

  private void dispatch(HttpExchange exchange) {
    ExchangeEnd.run(exchange, () -> route(exchange), redactor);
  }

  /**
   * Every check that needs no body comes first and holds no in-flight slot: framing, Host, Origin,
   * the gateway key, the route, the method and the declared body size. Only a request that passed
   * them all takes a slot, for as long as its real work runs.
   */
  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    Route route = Route.of(path);
    LiveConfig.Snapshot snapshot = live.get();
    String method = exchange.getRequestMethod();
    Headers request = exchange.getRequestHeaders();
    // GET /health and /health/ready stay open to every probe, whatever its Host or Origin.
    boolean probe = route != null && route.isProbe() && route.allows(method);
    Admission.Refusal refusal = Admission.malformedFraming(exchange);
    BrowserRules.Origin origin = BrowserRules.Origin.NONE;
    if (refusal == null && !probe) {
      refusal =
          Admission.browserRefusal(request, snapshot.browser(), route != null && route.api != null);
    }
    if (refusal == null) {
      // A probe refuses no origin, but an allowed one may read it, as every other answer.
      origin = snapshot.browser().origin(request.getFirst("Origin"));
    }
    if (refusal == null && origin == BrowserRules.Origin.ALLOWED) {
      BrowserRules.allowOrigin(exchange.getResponseHeaders(), request.getFirst("Origin"));
      if (method.equals("OPTIONS") && request.containsKey("Access-Control-Request-Method")) {
        // A preflight carries no credentials: it is answered before the gateway key is asked for.
        BrowserRules.preflight(request, exchange.getResponseHeaders());
        RequestBodies.finishEmpty(exchange);
        exchange.sendResponseHeaders(204, -1);
        return;
      }
    }
    String clientKey = null;
    GatewayAuth auth = snapshot.auth();
    if (refusal == null && auth.enabled() && (route == null || !route.isProbe())) {
      // Before routing: without a key, nobody learns which paths exist.
      // Basic credentials only where a browser goes: GET (or HEAD) of a page. An unknown path,
      // or another method, asks for the API's key alone.
      boolean page = route != null && route.api == null && route.allows(method);
      clientKey = auth.identify(request, page);
      if (clientKey == null) {
        if (page) {
          // Lets a person open /docs in a browser: it asks for a user and password (the key).
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"llm-api-router\"");
        }
        refusal = new Admission.Refusal(ErrorKind.UNAUTHORIZED, GatewayAuth.MESSAGE);
      }
    }
    if (refusal == null) {
      refusal = Admission.routeRefusal(exchange, path, route, snapshot.config(), redactor);
    }
    if (refusal != null) {
      refuse(exchange, route, path, refusal, clientKey);
      return;
    }
    if (!method.equals("POST")) {
      RequestBodies.finishEmpty(exchange); // keeps the connection for the client's next request
    }
    // The probes and /metrics stay outside the cap: they matter most when the router is busy.
    if (route.isOutsideTheCap()) {
      pages.handle(exchange, route);
      return;
    }
    if (readiness.draining() && route.api != null) {
      // A client (or a load balancer that has not seen /health/ready yet) sends it elsewhere.
      refuseForASecond(
          exchange, route, path, "The router is shutting down; retry the request.", clientKey);
      return;
    }
    if (!inFlight.tryAcquire()) {
      // Another try in a second can work: the SDKs may retry this one.
      refuseForASecond(
          exchange,
          route,
          path,
          "The router is at its limit of requests in flight (server.max_in_flight); retry"
              + " shortly.",
          clientKey);
      return;
    }
    try {
      switch (route) {
        case OPENAI_CHAT,
            ANTHROPIC_MESSAGES,
            OPENAI_RESPONSES,
            OPENAI_EMBEDDINGS,
            OPENAI_COMPLETIONS,
            ANTHROPIC_COUNT_TOKENS ->
            proxy.handle(exchange, route, clientKey);
        case OPENAI_RESPONSE, OPENAI_RESPONSE_CANCEL, OPENAI_RESPONSE_INPUT_ITEMS ->
            storedResponses.handle(exchange, route, clientKey);
        case OPENAI_MODELS, ANTHROPIC_MODELS -> models.handle(exchange, route.api, clientKey);
        case ROOT, HEALTH, READY, OPENAPI, DOCS, METRICS -> pages.handle(exchange, route);
      }
    } finally {
      inFlight.release();
    }
  }

  /** A 503 with {@code Retry-After: 1}: the router cannot take it now, a second later it may. */
  private void refuseForASecond(
      HttpExchange exchange, Route route, String path, String message, String clientKey)
      throws IOException {
    Responses.retryAfter(exchange.getResponseHeaders(), Duration.ofSeconds(1));
    refuse(exchange, route, path, new Admission.Refusal(ErrorKind.UNAVAILABLE, message), clientKey);
  }

  /**
   * Answers a refusal and closes the connection after it: the body the client may still be sending
   * is never read, so the connection cannot carry another request. Refusals on the API routes and
   * on paths the router does not serve are logged; the pages' are not.
   */
  private void refuse(
      HttpExchange exchange, Route route, String path, Admission.Refusal refusal, String clientKey)
      throws IOException {
    exchange.getResponseHeaders().set("Connection", "close");
    if (route == null || route.api != null) {
      proxy.reject(exchange, route, refusal.kind(), refusal.message(), clientKey);
    } else {
      Responses.error(exchange, Route.apiForPath(path), refusal.kind(), refusal.message());
    }
  }
}
