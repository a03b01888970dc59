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
 */
public record ServerSettings(
    String host,
    int port,
    List<String> apiKeys,
    long maxBodyBytes,
    Duration requestTimeout,
    Duration shutdownGrace) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8000;
  public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

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
        DEFAULT_SHUTDOWN_GRACE);
  }

  @Override
  public String toString() {
    return "ServerSettings[host=" + host + ", port=" + port + ", apiKeys=" + apiKeys.size() + "]";
  }
}
