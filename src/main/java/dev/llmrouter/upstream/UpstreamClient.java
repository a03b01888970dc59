package dev.llmrouter.upstream;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.upstream.ExchangeWaits.AttemptFailed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The router's upstream HTTP: two JDK {@link HttpClient}s (see {@link #inline}), shared by every
 * request and provider; each owns a selector thread and a connection pool. Makes single attempts:
 * the router's own retries are the fallback table's (the JDK client may still retry a refused
 * connect once by itself).
 */
public final class UpstreamClient implements AutoCloseable {

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  /**
   * For http:// upstreams at an IP address or {@code localhost}: its callbacks run on its own
   * selector thread, where the bytes arrive, with no hand-off to another thread before the
   * handler's. That is safe only where no callback can block: plain HTTP has no TLS work (handshake
   * tasks, certificate checks), our body subscribers only queue or keep buffers, and an address
   * needs no DNS lookup (the client's one automatic connect retry would otherwise resolve the host
   * name on the selector thread). Measured with make bench (router pinned to one core): about 15-20
   * % more requests/s at c=32 and c=128, and 0.04 ms less at c=1 p50.
   */
  private final HttpClient inline;

  /** For every other upstream: callbacks, TLS handshake work included, on {@link #executor}. */
  private final HttpClient offloaded;

  private final ExecutorService executor = clientExecutor();
  private final StreamWatchdog watchdog = new StreamWatchdog();

  /** The clients' selector threads: a client whose selector died never answers again. */
  private final List<Thread> selectors;

  public UpstreamClient() {
    this.inline = builder().executor(Runnable::run).build();
    HttpClient.Builder other = builder();
    if (executor != null) {
      other.executor(executor);
    }
    this.offloaded = other.build();
    this.selectors = selectorThreads(List.of(inline, offloaded));
  }

  /**
   * The JDK names a client's selector thread {@code HttpClient-<id>-SelectorManager}, and its
   * {@code toString()} ends with {@code (<id>)} (its own tests rely on both). Found once, at start;
   * a JDK that names them otherwise just goes unwatched.
   */
  private static List<Thread> selectorThreads(List<HttpClient> clients) {
    Set<String> names = new java.util.HashSet<>();
    for (HttpClient c : clients) {
      java.util.regex.Matcher m = CLIENT_ID.matcher(c.toString());
      if (m.find()) {
        names.add("HttpClient-" + m.group(1) + "-SelectorManager");
      }
    }
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> names.contains(t.getName()))
        .toList();
  }

  private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");

  /**
   * The thread this client cannot work without that has died (a selector or the stream watchdog),
   * or null while all run. Only an error the JVM cannot recover from ends one.
   */
  public String deadThread() {
    if (!watchdog.alive()) {
      return "the stream watchdog";
    }
    for (Thread t : selectors) {
      if (!t.isAlive() && !closed) {
        return "an upstream client's selector thread";
      }
    }
    return null;
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        // Redirects are never followed: a provider must not be able to send our key elsewhere.
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(MAX_CONNECT_TIMEOUT);
  }

  /**
   * Where the offloaded client runs its response callbacks, completes its futures and runs the TLS
   * handshake's delegated tasks (certificate checks, key exchange), which must not stall a selector
   * thread. Its default is a cached pool of platform threads: every response then crosses selector
   * thread, pool thread and the handler's virtual thread, two OS context switches. A virtual thread
   * per task leaves one; measured with make bench (router pinned to one core, c=32), throughput
   * rose from about 4,600 to 7,500 requests/s. On JDK 21-23 the client's own synchronized sections
   * would pin carriers, so there the default stays (null), as in {@code RouterServer}.
   */
  private static ExecutorService clientExecutor() {
    if (Runtime.version().feature() >= 24) {
      return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("upstream-", 0).factory());
    }
    return null;
  }

  private HttpClient clientFor(ProviderConfig provider) {
    return runsInline(provider.baseUrl()) && direct(provider.baseUrl()) ? inline : offloaded;
  }

  /**
   * Whether the JDK client would connect to {@code baseUrl} itself rather than through an HTTP
   * proxy ({@code -Dhttp.proxyHost}, or {@code HTTP_PROXY} through {@link ProxyEnvironment}): a
   * proxy's host name is resolved when the connection is made, which for the inline client may be
   * on its selector thread. Without a proxy property this is one property lookup.
   */
  private static boolean direct(URI baseUrl) {
    if (System.getProperty("http.proxyHost") == null) {
      return true;
    }
    ProxySelector selector = ProxySelector.getDefault();
    return selector == null
        || selector.select(baseUrl).stream().noneMatch(p -> p.type() == Proxy.Type.HTTP);
  }

  /** Plain HTTP to an address that needs no DNS lookup: see {@link #inline}. */
  static boolean runsInline(URI baseUrl) {
    String host = baseUrl.getHost();
    if (!"http".equals(baseUrl.getScheme()) || host == null) {
      return false;
    }
    return host.equalsIgnoreCase("localhost")
        || host.startsWith("[") // an IPv6 literal
        || isIpv4Literal(host);
  }

  /**
   * Four dot-separated groups of one to three ASCII digits. By hand, not a regex: it runs for every
   * attempt, and a compiled regex match cost more than the rest of choosing the client.
   */
  static boolean isIpv4Literal(String host) {
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
      } else if (c == '.' && digits > 0 && dots < 3) {
        dots++;
        digits = 0;
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  /**
   * One attempt: sends the request and reads the whole response within {@code timeout}, which
   * bounds connect, headers and body together (the JDK's request timeout stops at the headers).
   */
  public UpstreamOutcome send(Outgoing out, OutboundRequest request, Duration timeout) {
    try {
      return complete(
          out.provider(),
          build(out, request, timeout),
          timeout,
          request.maxResponseBytes(),
          request.memory());
    } catch (AttemptFailed e) {
      return e.failed;
    }
  }

  /**
   * Sends {@code request} and reads its whole answer, capped and decoded, within {@code timeout}.
   */
  private UpstreamOutcome complete(
      ProviderConfig provider,
      HttpRequest request,
      Duration timeout,
      long maxBytes,
      MemoryBudget.Ledger memory) {
    try {
      HttpClient client = clientFor(provider);
      HttpResponse.BodyHandler<CappedBody.Parts> handler =
          BodyFraming.checked(CappedBody.handler(maxBytes, memory));
      HttpResponse<CappedBody.Parts> response =
          client == inline
              ? ExchangeWaits.send(client, request, handler, timeout, watchdog)
              : ExchangeWaits.await(
                  client.sendAsync(request, handler), request, timeout, "no complete response");
      byte[] body =
          ContentCoding.decode(response.headers(), response.body().bytes(), maxBytes, memory);
      return WideText.utf8(response.statusCode(), response.headers(), body, memory);
    } catch (AttemptFailed e) {
      return e.failed;
    } catch (IOException e) {
      return TransportFailures.of(
          e); // a coding the router cannot read, or a body that decodes too large
    }
  }

  /**
   * One streaming attempt: waits for the headers, then peeks the first real event, all within
   * {@code timeout}. Only a stream whose first event arrived and is not an error comes back as
   * {@link Streaming}: everything before that is still invisible to the client, so the fallback
   * table applies to it like to any response.
   *
   * @param idleTimeout the longest silence between events once the stream is handed over
   */
  public UpstreamOutcome openStream(
      Outgoing out, OutboundRequest request, Duration timeout, Duration idleTimeout) {
    long start = System.nanoTime();
    HttpResponse<InputStream> response;
    try {
      response = streamHeaders(out.provider(), build(out, request, timeout), timeout);
    } catch (AttemptFailed e) {
      return e.failed;
    }
    return StreamStart.read(
        response,
        watchdog,
        start,
        timeout,
        idleTimeout,
        request.deadlineNanos(),
        request.maxResponseBytes(),
        request.memory(),
        request.operation().servedBy(out.speaks(request.api())),
        true);
  }

  /**
   * A GET of a stored Responses API response as its event stream ({@code ?stream=true}: how the
   * SDKs resume a background response), under the same rules as {@link #openStream}.
   */
  public UpstreamOutcome storedResponseStream(
      ProviderConfig provider,
      String pathAndQuery,
      List<HeaderPolicy.Header> headers,
      Duration timeout,
      long maxBytes,
      MemoryBudget.Ledger memory) {
    long start = System.nanoTime();
    HttpResponse<InputStream> response;
    try {
      response =
          streamHeaders(
              provider,
              UpstreamRequests.storedResponse(
                  provider, "GET", pathAndQuery, headers, null, timeout),
              timeout);
    } catch (AttemptFailed e) {
      return e.failed;
    }
    return StreamStart.read(
        response,
        watchdog,
        start,
        timeout,
        provider.streamIdleTimeout(),
        start + timeout.toNanos(),
        maxBytes,
        memory,
        Operation.RESPONSES,
        false); // a stored response's own stream: no other provider to fall back to
  }

  /** The response headers of a request whose body is read as it comes. */
  private HttpResponse<InputStream> streamHeaders(
      ProviderConfig provider, HttpRequest built, Duration timeout) throws AttemptFailed {
    return ExchangeWaits.await(
        clientFor(provider).sendAsync(built, BodyFraming.checked(DrainingBodyStream.HANDLER)),
        built,
        timeout,
        "no response headers");
  }

  /** One attempt's POST; fails the attempt when the rewritten body does not fit the budget. */
  private static HttpRequest build(Outgoing out, OutboundRequest request, Duration timeout)
      throws AttemptFailed {
    HttpRequest built = UpstreamRequests.post(out, request, timeout);
    if (built == null) {
      throw new AttemptFailed(
          new Failed(
              FailureType.OVER_BUDGET,
              "no memory left in server.max_buffered_bytes for the body with its model ID"));
    }
    return built;
  }

  /**
   * The provider's own model list, or with {@code segment} (a model id as one path segment) its
   * entry for that one model, read whole within {@code timeout} and capped at {@code maxBytes}.
   */
  public UpstreamOutcome listModels(
      ProviderConfig provider,
      Api api,
      String segment,
      Duration timeout,
      long maxBytes,
      MemoryBudget.Ledger memory) {
    return complete(
        provider,
        UpstreamRequests.modelList(provider, api, segment, timeout),
        timeout,
        maxBytes,
        memory);
  }

  /**
   * One request about a stored Responses API response ({@link UpstreamRequests#storedResponse}),
   * read whole within {@code timeout} and capped at {@code maxBytes} like any body.
   */
  public UpstreamOutcome storedResponse(
      ProviderConfig provider,
      String method,
      String pathAndQuery,
      List<HeaderPolicy.Header> headers,
      byte[] body,
      Duration timeout,
      long maxBytes,
      MemoryBudget.Ledger memory) {
    return complete(
        provider,
        UpstreamRequests.storedResponse(provider, method, pathAndQuery, headers, body, timeout),
        timeout,
        maxBytes,
        memory);
  }

  /** The watchdog of this client's streams, for the relay's own timers (keepalives). */
  public StreamWatchdog watchdog() {
    return watchdog;
  }

  private volatile boolean closed;

  @Override
  public void close() {
    closed = true;
    watchdog.close();
    // Not HttpClient.close(): it waits for every exchange to end, and a stuck one would hold the
    // process past SIGTERM. Streams and requests were ended by the server's shutdown already.
    for (HttpClient client : List.of(inline, offloaded)) {
      client.shutdownNow();
    }
    for (HttpClient client : List.of(inline, offloaded)) {
      try {
        client.awaitTermination(CLOSE_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (executor != null) {
      executor.shutdown(); // after the client: its last callbacks still run on it
    }
  }
}
