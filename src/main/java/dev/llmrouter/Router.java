package dev.llmrouter;

import com.sun.net.httpserver.HttpServer;
import dev.llmrouter.config.ConfigChanges;
import dev.llmrouter.config.ConfigWatcher;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

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

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  private final UpstreamClient upstream;
  private final JsonlRequestLog log;
  private final RouterServer server;
  private final Redactor redactor;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The config the process started with: its address, permits and log folder stay. */
  private final RouterConfig started;

  private volatile RouterConfig config;
  private volatile ConfigWatcher watcher;

  private Router(
      RouterConfig config,
      UpstreamClient upstream,
      JsonlRequestLog log,
      RouterServer server,
      Redactor redactor) {
    this.config = config;
    this.started = config;
    this.upstream = upstream;
    this.log = log;
    this.server = server;
    this.redactor = redactor;
  }

  /**
   * Opens the request log and starts serving on the configured host and port (port 0 picks a free
   * one).
   *
   * <p>The address is bound before the log files are created, so a start that fails leaves no file
   * behind.
   *
   * @throws IOException a {@link java.net.SocketException} when the address cannot be bound (a
   *     {@link java.net.BindException} when it is in use, not permitted or not this machine's), a
   *     {@link java.nio.file.FileSystemException} when the log directory cannot be written
   */
  public static Router start(RouterConfig config) throws IOException {
    Redactor redactor = new Redactor(config.secrets());
    HttpServer bound = RouterServer.bind(config.server());
    JsonlRequestLog log;
    try {
      log = new JsonlRequestLog(config.logging(), redactor);
    } catch (IOException | RuntimeException | Error e) {
      release(bound);
      throw e;
    }
    UpstreamClient upstream = null;
    try {
      upstream = new UpstreamClient();
      RouterServer server =
          RouterServer.start(bound, config, upstream, log, new ProviderRegistry(), redactor);
      Router router = new Router(config, upstream, log, server, redactor);
      server.ready(); // last: GET /health/ready answers 200 from here on
      return router;
    } catch (RuntimeException | Error e) {
      release(bound);
      if (upstream != null) {
        upstream.close();
      }
      log.close();
      throw e;
    }
  }

  /**
   * Lets go of a bound address that never served. The JDK server registers its socket with a
   * selector that only its dispatcher thread runs, and a stop before any start closes nothing: the
   * port would stay taken for the life of the process (an embedding program's retry fails).
   */
  private static void release(HttpServer bound) {
    try {
      bound.start();
    } catch (RuntimeException e) {
      // started already: the stop below ends it
    }
    bound.stop(0);
  }

  /**
   * Serves later requests with {@code newConfig}: providers, gateway keys, body limit and request
   * timeout take effect at once; requests already running finish on the config they started with.
   * The log settings {@code logging.bodies}, {@code max_file_mb} and {@code keep_files} hold for
   * every record written from now on, including those of requests already running. Providers whose
   * name and base URL are unchanged keep their cooldowns and breakers. The host, port, in-flight
   * cap, memory budget and log directory need a restart: they keep the values the router started
   * with.
   *
   * @return what changed, from the config served until now; {@link ConfigChanges#needRestart()}
   *     lists the settings whose new value differs from the one the router started with
   * @throws IllegalStateException once the router is closed
   */
  public synchronized ConfigChanges reload(RouterConfig newConfig) {
    Objects.requireNonNull(newConfig, "newConfig");
    requireOpen();
    ConfigChanges changes = ConfigChanges.between(started, config, newConfig, port());
    redactor.add(newConfig.secrets()); // before any request can use a new key
    config = newConfig;
    server.apply(newConfig);
    log.apply(newConfig.logging());
    return changes;
  }

  /**
   * Reloads the config whenever {@code file} changes; an invalid version is logged with every
   * problem and ignored, so the router keeps serving with the config it has.
   *
   * <p>One watcher per router: watching again replaces the previous one, and closing the router
   * stops it.
   *
   * @param env where {@code ${NAME}} references are looked up (usually {@code System.getenv()})
   * @throws IllegalStateException once the router is closed
   */
  public void watch(Path file, Map<String, String> env) throws IOException {
    watch(file, env, UnaryOperator.identity());
  }

  /**
   * The same, with {@code overrides} applied to every version read (what the command line set over
   * the file: its port, host, log directory), so that a reload never reports them changed. An
   * override that throws {@link IllegalArgumentException} rejects that version, as an invalid file
   * is, with the exception's message as its problem.
   */
  public void watch(Path file, Map<String, String> env, UnaryOperator<RouterConfig> overrides)
      throws IOException {
    watch(file, env, overrides, null);
  }

  /**
   * The same for a config read from {@code running} ({@link ConfigWatcher#versionOf}, taken just
   * before the file was read): an edit made after it, while the router started, is read at the
   * first check (within a second) rather than taken for the running version.
   */
  public synchronized void watch(
      Path file,
      Map<String, String> env,
      UnaryOperator<RouterConfig> overrides,
      ConfigWatcher.Version running)
      throws IOException {
    requireOpen(); // a watcher started now would never be stopped
    ConfigWatcher previous = watcher;
    if (previous != null) {
      previous.close();
    }
    watcher =
        ConfigWatcher.start(
            file,
            env,
            newConfig -> {
              RouterConfig applied;
              try {
                applied = overrides.apply(newConfig);
              } catch (IllegalArgumentException refused) {
                rejected(List.of(refused.getMessage()));
                return;
              }
              ConfigChanges changes;
              synchronized (this) {
                if (closed.get()) {
                  return; // the file changed while the router closed: nothing to apply it to
                }
                changes = reload(applied);
              }
              CONSOLE.log(
                  changes.needRestart().isEmpty()
                      ? System.Logger.Level.INFO
                      : System.Logger.Level.WARNING,
                  "config reloaded from " + file + ": " + changes.summary());
            },
            this::rejected,
            running);
  }

  private void rejected(List<String> problems) {
    server.reloadRejected();
    CONSOLE.log(
        System.Logger.Level.WARNING,
        "config reload rejected, keeping the running config: " + String.join("; ", problems));
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the router is closed");
    }
  }

  /** The port the router listens on. */
  public int port() {
    return server.address().getPort();
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /**
   * The JSONL file that receives every request record now; after a rotation ({@code
   * logging.max_file_mb}) a newer file takes over.
   */
  public Path logFile() {
    return log.file();
  }

  /**
   * The JSONL file that receives failed requests and requests with failed attempts now; it rotates
   * with {@link #logFile()}.
   */
  public Path errorLogFile() {
    return log.errorsFile();
  }

  /** The config new requests are served with. */
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
   *
   * @return true when nothing had to be cut (a clean drain)
   */
  public boolean close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return true;
    }
    ConfigWatcher w;
    synchronized (this) { // after a watch() under way: it saw the router open, and set its watcher
      w = watcher;
      watcher = null;
    }
    if (w != null) {
      w.close();
    }
    boolean drained = false;
    try {
      drained = server.stop(grace);
    } finally {
      log.close();
      upstream.close();
    }
    return drained;
  }

  /** Requests being served now, streams included. */
  public int inFlight() {
    return server.inFlight();
  }

  /** How many records the request log has written since the start. */
  public long logRecordsWritten() {
    return log.written();
  }

  /** How many request records could not be written (each said on the console when it happened). */
  public long logRecordsLost() {
    return log.lost();
  }
}
