package dev.llmrouter.testkit;

import dev.llmrouter.Router;
import dev.llmrouter.config.LoggingSettings;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real router on an ephemeral loopback port, in front of fake upstreams, with a private log
 * directory; and a real HTTP client to talk to it.
 */
public final class RouterHarness implements AutoCloseable {

  public static final String OPENAI_CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  public static final String ANTHROPIC_MESSAGES =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Router router;
  private final Path logDir;

  private RouterHarness(Router router, Path logDir) {
    this.router = router;
    this.logDir = logDir;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A provider entry: key {@code sk-test-<name>-canary} unless given. */
  public static ProviderConfig provider(String name, String baseUrl) {
    return provider(name, baseUrl, Duration.ofSeconds(5), 0);
  }

  public static ProviderConfig provider(
      String name, String baseUrl, Duration timeout, int maxRetries) {
    return provider(name, baseUrl, timeout, maxRetries, ProviderConfig.DEFAULT_STREAM_IDLE_TIMEOUT);
  }

  public static ProviderConfig provider(
      String name, String baseUrl, Duration timeout, int maxRetries, Duration streamIdle) {
    return new ProviderConfig(
        name,
        keyOf(name),
        1,
        URI.create(baseUrl),
        timeout,
        maxRetries,
        streamIdle,
        ProviderConfig.DEFAULT_WEIGHT);
  }

  /** The canary key a provider built here carries; tests search every output for it. */
  public static String keyOf(String providerName) {
    return "sk-test-" + providerName + "-canary-0123456789";
  }

  public static final class Builder {
    private final List<ProviderConfig> openai = new ArrayList<>();
    private final List<ProviderConfig> anthropic = new ArrayList<>();
    private Duration requestTimeout = Duration.ofSeconds(30);
    private long maxBodyBytes = ServerSettings.DEFAULT_MAX_BODY_BYTES;
    private List<String> apiKeys = List.of();
    private int maxInFlight = ServerSettings.DEFAULT_MAX_IN_FLIGHT;
    private List<String> allowedHosts = List.of();
    private List<String> allowedOrigins = List.of();
    private long maxBufferedBytes = ServerSettings.defaultMaxBufferedBytes();
    private boolean keepPriorities;
    private Path logDir;
    private UnaryOperator<LoggingSettings> logging = UnaryOperator.identity();

    /** Logs into {@code dir} (which may hold files already) instead of a new temp directory. */
    public Builder logDir(Path dir) {
      logDir = dir;
      return this;
    }

    /** Changes the log settings other than the directory (given the defaults). */
    public Builder logging(UnaryOperator<LoggingSettings> change) {
      logging = change;
      return this;
    }

    /** Keep the providers' own priorities instead of numbering them in the order added. */
    public Builder keepPriorities() {
      keepPriorities = true;
      return this;
    }

    /** The memory budget for bodies in flight ({@code server.max_buffered_bytes}). */
    public Builder maxBufferedBytes(long n) {
      maxBufferedBytes = n;
      return this;
    }

    public Builder allowedHosts(String... hosts) {
      allowedHosts = List.of(hosts);
      return this;
    }

    public Builder allowedOrigins(String... origins) {
      allowedOrigins = List.of(origins);
      return this;
    }

    public Builder maxInFlight(int n) {
      maxInFlight = n;
      return this;
    }

    /** Turns gateway auth on with these keys. */
    public Builder apiKeys(String... keys) {
      apiKeys = List.of(keys);
      return this;
    }

    public Builder openai(ProviderConfig p) {
      openai.add(p);
      return this;
    }

    /** An OpenAI provider whose base URL is the fake's {@code /v1}. */
    public Builder openai(String name, FakeUpstream fake) {
      return openai(provider(name, fake.baseUrl() + "/v1"));
    }

    public Builder anthropic(ProviderConfig p) {
      anthropic.add(p);
      return this;
    }

    public Builder anthropic(String name, FakeUpstream fake) {
      return anthropic(provider(name, fake.baseUrl()));
    }

    public Builder requestTimeout(Duration d) {
      requestTimeout = d;
      return this;
    }

    private long maxResponseBytes = ServerSettings.DEFAULT_MAX_RESPONSE_BYTES;

    /** {@code server.max_response_bytes}: also the most of a body a log line keeps. */
    public Builder maxResponseBytes(long n) {
      maxResponseBytes = n;
      return this;
    }

    public Builder maxBodyBytes(long n) {
      maxBodyBytes = n;
      return this;
    }

    /** Priorities 1, 2, 3... in the order the test added the providers. */
    private List<ProviderConfig> numbered(List<ProviderConfig> providers) {
      if (keepPriorities) {
        return providers;
      }
      List<ProviderConfig> out = new ArrayList<>();
      for (ProviderConfig p : providers) {
        out.add(p.withPriority(out.size() + 1));
      }
      return out;
    }

    public RouterHarness start() {
      try {
        Path dir = logDir != null ? logDir : TestTemp.dir("router-test-logs");
        ServerSettings server =
            new ServerSettings(
                "127.0.0.1",
                0,
                apiKeys,
                maxBodyBytes,
                requestTimeout,
                Duration.ofSeconds(2),
                maxInFlight,
                maxResponseBytes,
                maxBufferedBytes,
                allowedHosts,
                allowedOrigins);
        LoggingSettings settings = logging.apply(LoggingSettings.in(dir)).withDir(dir);
        Router router =
            Router.start(new RouterConfig(server, settings, numbered(openai), numbered(anthropic)));
        return new RouterHarness(router, dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public Router router() {
    return router;
  }

  public Path logDir() {
    return logDir;
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + router.port() + pathAndQuery);
  }

  public HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Closes the router, which flushes the logs, then returns every line of the request log. */
  public List<String> closeAndReadLog() {
    router.close();
    return readLines(router.logFile());
  }

  /**
   * Waits (at most {@code timeout}) until the request log holds {@code n} lines: the writer has
   * then handed back the memory those requests held. False when it does not happen in time.
   */
  public boolean awaitLogLines(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (readLines(router.logFile()).size() >= n) {
        return true;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    return false;
  }

  /**
   * Waits (at most {@code timeout}) until {@code GET /health} mentions {@code text}: what a
   * stream's end tells its provider's health comes as its last byte goes out. False when it does
   * not.
   */
  public boolean awaitHealth(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (get("/health").body().contains(text)) {
        return true;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
    return false;
  }

  public List<String> closeAndReadErrorLog() {
    router.close();
    return readLines(router.errorLogFile());
  }

  public static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    router.close(Duration.ZERO);
  }
}
