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
 */
public record ServerSettings(
    String host,
    int port,
    List<String> apiKeys,
    long maxBodyBytes,
    Duration requestTimeout,
    Duration shutdownGrace,
    int maxInFlight) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** High enough for 10,000 open streams; low enough that a flood cannot exhaust memory. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 16_384;

  public ServerSettings {
    apiKeys = List.copyOf(apiKeys);
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
        newHost, port, apiKeys, maxBodyBytes, requestTimeout, shutdownGrace, maxInFlight);
  }

  public ServerSettings withPort(int newPort) {
    return new ServerSettings(
        host, newPort, apiKeys, maxBodyBytes, requestTimeout, shutdownGrace, maxInFlight);
  }

  @Override
  public String toString() {
    return "ServerSettings[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + "]";
  }
}
