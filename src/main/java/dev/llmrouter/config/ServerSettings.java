package dev.llmrouter.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code "server"} section.
 *
 * @param host bind address (default 127.0.0.1)
 * @param port TCP port (default 8000; 0 picks a free one)
 * @param apiKeys gateway keys clients must present; empty means no gateway auth
 * @param maxBodyBytes request bodies above this get 413 (default 32 MiB)
 * @param requestTimeout one deadline per request across every attempt and backoff
 * @param shutdownGrace how long in-flight requests may run on after SIGTERM
 * @param maxInFlight requests served at once; more get a fast 503 with Retry-After
 * @param maxResponseBytes the most of one upstream body the router reads (past it the attempt is
 *     broken), and the most of any body or assembled stream the log keeps (default 64 MiB)
 * @param maxBufferedBytes the most memory all bodies held at once may take: requests being read,
 *     upstream bodies being buffered and the log's copies (default: a quarter of the JVM's heap)
 * @param allowedHosts further names the {@code Host} header may carry besides the bind address,
 *     {@code localhost} and loopback addresses (DNS-rebinding protection)
 * @param allowedOrigins browser origins allowed to call the router (cross-site protection); {@code
 *     "*"} allows every origin
 * @param maxCooldownWait how long a request may wait for a cooling provider when every one that
 *     serves it is cooling down
 * @param responseAffinityMax how many Responses API ids the router remembers the provider of
 * @param responseAffinityTtl how long it remembers one
 */
public record ServerSettings(
    String host,
    int port,
    List<String> apiKeys,
    long maxBodyBytes,
    Duration requestTimeout,
    Duration shutdownGrace,
    int maxInFlight,
    long maxResponseBytes,
    long maxBufferedBytes,
    List<String> allowedHosts,
    List<String> allowedOrigins,
    Duration maxCooldownWait,
    int responseAffinityMax,
    Duration responseAffinityTtl) {

  /** Response ids remembered at most, least recently used dropped first. */
  public static final int DEFAULT_RESPONSE_AFFINITY_MAX = 100_000;

  /** How long a response id is remembered: a day of a conversation's turns. */
  public static final Duration DEFAULT_RESPONSE_AFFINITY_TTL = Duration.ofHours(24);

  /** How long a request may wait for a cooling provider when every one is cooling down. */
  public static final Duration DEFAULT_MAX_COOLDOWN_WAIT = Duration.ofSeconds(5);

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

  /** The smallest memory budget: below it not even a small chat request and answer fit. */
  public static final long MIN_BUFFERED_BYTES = 1024L * 1024;

  /** High enough for 10,000 open streams; low enough that a flood cannot exhaust memory. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 16_384;

  public ServerSettings {
    apiKeys = List.copyOf(apiKeys);
    allowedHosts = List.copyOf(allowedHosts);
    allowedOrigins = List.copyOf(allowedOrigins);
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException("maxResponseBytes must be positive");
    }
    if (maxBufferedBytes < MIN_BUFFERED_BYTES) {
      throw new IllegalArgumentException("maxBufferedBytes must be at least " + MIN_BUFFERED_BYTES);
    }
    if (maxCooldownWait.isNegative()) {
      throw new IllegalArgumentException("maxCooldownWait must not be negative");
    }
    if (responseAffinityMax < 1 || !responseAffinityTtl.isPositive()) {
      throw new IllegalArgumentException("the response affinity limits must be positive");
    }
  }

  /** The settings before the response affinity limits: they take their defaults. */
  public ServerSettings(
      String host,
      int port,
      List<String> apiKeys,
      long maxBodyBytes,
      Duration requestTimeout,
      Duration shutdownGrace,
      int maxInFlight,
      long maxResponseBytes,
      long maxBufferedBytes,
      List<String> allowedHosts,
      List<String> allowedOrigins,
      Duration maxCooldownWait) {
    this(
        host,
        port,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        maxResponseBytes,
        maxBufferedBytes,
        allowedHosts,
        allowedOrigins,
        maxCooldownWait,
        DEFAULT_RESPONSE_AFFINITY_MAX,
        DEFAULT_RESPONSE_AFFINITY_TTL);
  }

  /** The settings before {@code max_cooldown_wait}: it takes its default. */
  public ServerSettings(
      String host,
      int port,
      List<String> apiKeys,
      long maxBodyBytes,
      Duration requestTimeout,
      Duration shutdownGrace,
      int maxInFlight,
      long maxResponseBytes,
      long maxBufferedBytes,
      List<String> allowedHosts,
      List<String> allowedOrigins) {
    this(
        host,
        port,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        maxResponseBytes,
        maxBufferedBytes,
        allowedHosts,
        allowedOrigins,
        DEFAULT_MAX_COOLDOWN_WAIT,
        DEFAULT_RESPONSE_AFFINITY_MAX,
        DEFAULT_RESPONSE_AFFINITY_TTL);
  }

  /** The settings of the first releases; every newer one takes its default. */
  public ServerSettings(
      String host,
      int port,
      List<String> apiKeys,
      long maxBodyBytes,
      Duration requestTimeout,
      Duration shutdownGrace,
      int maxInFlight) {
    this(
        host,
        port,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        DEFAULT_MAX_RESPONSE_BYTES,
        defaultMaxBufferedBytes(),
        List.of(),
        List.of());
  }

  /** A quarter of the JVM's maximum heap: the rest is for everything else a request needs. */
  public static long defaultMaxBufferedBytes() {
    return Math.max(MIN_BUFFERED_BYTES, Runtime.getRuntime().maxMemory() / 4);
  }

  public static ServerSettings defaults() {
    return new ServerSettings(
        DEFAULT_HOST,
        DEFAULT_PORT,
        List.of(),
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_SHUTDOWN_GRACE,
        DEFAULT_MAX_IN_FLIGHT);
  }

  public ServerSettings withHost(String newHost) {
    return new ServerSettings(
        newHost,
        port,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        maxResponseBytes,
        maxBufferedBytes,
        allowedHosts,
        allowedOrigins,
        maxCooldownWait,
        responseAffinityMax,
        responseAffinityTtl);
  }

  public ServerSettings withPort(int newPort) {
    return new ServerSettings(
        host,
        newPort,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        maxResponseBytes,
        maxBufferedBytes,
        allowedHosts,
        allowedOrigins,
        maxCooldownWait,
        responseAffinityMax,
        responseAffinityTtl);
  }

  /** The same settings with other browser rules (Host and Origin allow-lists). */
  public ServerSettings withBrowserRules(List<String> hosts, List<String> origins) {
    return new ServerSettings(
        host,
        port,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        maxResponseBytes,
        maxBufferedBytes,
        hosts,
        origins,
        maxCooldownWait,
        responseAffinityMax,
        responseAffinityTtl);
  }

  /** The same settings with another cap on waiting for a cooling provider. */
  public ServerSettings withMaxCooldownWait(Duration newWait) {
    return new ServerSettings(
        host,
        port,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        maxResponseBytes,
        maxBufferedBytes,
        allowedHosts,
        allowedOrigins,
        newWait,
        responseAffinityMax,
        responseAffinityTtl);
  }

  /** The same settings with other response affinity limits. */
  public ServerSettings withResponseAffinity(int max, Duration ttl) {
    return new ServerSettings(
        host,
        port,
        apiKeys,
        maxBodyBytes,
        requestTimeout,
        shutdownGrace,
        maxInFlight,
        maxResponseBytes,
        maxBufferedBytes,
        allowedHosts,
        allowedOrigins,
        maxCooldownWait,
        max,
        ttl);
  }

  @Override
  public String toString() {
    return "ServerSettings[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + "]";
  }

  /**
   * Why {@code host} cannot be listened on, or null: a host name or an IPv4 address ({@code
   * 127.0.0.1}, {@code localhost}), or an IPv6 address, bare or in brackets ({@code ::}, {@code
   * [::1]}), without a scheme or port. An IPv6 address is checked as a literal (no lookup): {@code
   * 127.0.0.1:9000} is none.
   */
  public static String hostProblem(String host) {
    String problem =
        "must be a host name or address to listen on, without a scheme or port"
            + " (127.0.0.1, 0.0.0.0, ::)";
    if (host.matches("[A-Za-z0-9.\\-]+")) {
      return null;
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!bare.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      return problem;
    }
    try {
      java.net.InetAddress.getByName(bare); // an IPv6 literal (with a colon it is never looked up)
      return null;
    } catch (java.net.UnknownHostException e) {
      return problem; // no IPv6 literal: a literal is never looked up
    }
  }

  /** The host as a URL or {@code host:port} names it: an IPv6 address in brackets, once. */
  public static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
