package dev.llmrouter;

import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.logging.JsonlRequestLog;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.routing.ProviderRegistry;
import dev.llmrouter.server.RouterServer;
import dev.llmrouter.upstream.UpstreamClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running router: the embedding facade. Start one from a validated {@link RouterConfig} (see
 * {@code dev.llmrouter.config.ConfigLoader} to load a file or a string), read its {@link #port()},
 * and {@link #close()} it when done.
 *
 * <pre>{@code
 * RouterConfig config = ConfigLoader.load(Path.of("llm_router_config.json"), System.getenv());
 * try (Router router = Router.start(config)) {
 *   // POST http://127.0.0.1:<router.port()>/openai/chat/completions
 * }
 * }</pre>
 */
public final class Router implements AutoCloseable {

  private final RouterConfig config;
  private final UpstreamClient upstream;
  private final JsonlRequestLog log;
  private final RouterServer server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Router(
      RouterConfig config, UpstreamClient upstream, JsonlRequestLog log, RouterServer server) {
    this.config = config;
    this.upstream = upstream;
    this.log = log;
    this.server = server;
  }

  /**
   * Opens the request log and starts serving on the configured host and port (port 0 picks a free
   * one).
   *
   * @throws IOException when the log directory cannot be written or the address cannot be bound
   */
  public static Router start(RouterConfig config) throws IOException {
    JsonlRequestLog log = new JsonlRequestLog(config.logDir(), new Redactor(config.secrets()));
    UpstreamClient upstream = new UpstreamClient();
    try {
      RouterServer server = RouterServer.start(config, upstream, log, new ProviderRegistry());
      return new Router(config, upstream, log, server);
    } catch (IOException | RuntimeException e) {
      upstream.close();
      log.close();
      throw e;
    }
  }

  /** The port the router listens on. */
  public int port() {
    return server.address().getPort();
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** The JSONL file that receives every request record of this run. */
  public Path logFile() {
    return log.file();
  }

  /** The JSONL file that receives failed requests and requests with failed attempts. */
  public Path errorLogFile() {
    return log.errorsFile();
  }

  public RouterConfig config() {
    return config;
  }

  /** Graceful close with the configured grace period. */
  @Override
  public void close() {
    close(config.server().shutdownGrace());
  }

  /**
   * Stops accepting, lets in-flight requests finish for up to {@code grace}, then flushes and syncs
   * the request log and closes the upstream client. Idempotent.
   */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop(grace);
    } finally {
      log.close();
      upstream.close();
    }
  }
}
