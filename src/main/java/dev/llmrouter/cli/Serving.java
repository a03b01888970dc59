package dev.llmrouter.cli;

import dev.llmrouter.Router;
import dev.llmrouter.Version;
import dev.llmrouter.config.ConfigWatcher;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.memory.OldGenerationSweep;
import dev.llmrouter.upstream.JdkClientTuning;
import dev.llmrouter.upstream.ProxyEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/** The long-running commands: serve, mock and demo. Each blocks until the JVM shuts down. */
final class Serving {
  private Serving() {}

  /**
   * Sets the JDK client's JVM-wide tunables before its first exchange, and starts building the
   * JDK's default TLS context (provider set-up, the trust store's certificates) on a thread of its
   * own, while the config is read and the server binds: the upstream client needs it at start-up,
   * and on a machine with a second core it is ready by then.
   */
  static void prepareUpstreams(Map<String, String> env, PrintStream err) {
    JdkClientTuning.apply();
    ProxyEnvironment.Settings proxy = ProxyEnvironment.apply(env);
    for (String note : proxy.notes()) {
      err.println("llm-api-router: " + note);
    }
    for (String warning : proxy.warnings()) {
      err.println("llm-api-router: warning: " + warning);
    }
    Thread.ofPlatform()
        .name("tls-warm-up")
        .daemon(true)
        .start(
            () -> {
              try {
                SSLContext.getDefault();
              } catch (NoSuchAlgorithmException e) {
                // the upstream client reports it when it needs TLS
              }
            });
  }

  /**
   * @param version the config file's version on disk just before {@code loaded} was read
   */
  static int serve(
      Command.Serve s,
      RouterConfig loaded,
      ConfigWatcher.Version version,
      PrintStream out,
      PrintStream err,
      Map<String, String> env) {
    if (loaded == null) {
      return Cli.FAILED;
    }
    // The flags win over the file, at start and at every reload: otherwise each reload of a file
    // whose port differs from --port would report a change that needs a restart.
    RouterConfig config = withFlags(s, loaded);
    boolean open = !isLoopback(config.server().host());
    UnaryOperator<RouterConfig> flags =
        c -> keepsGatewayKeys(withFlags(s, c), open && !s.allowUnauthenticated());
    if (!config.server().apiKeys().isEmpty() || !open) {
      return run(config, flags, s.config(), version, env, out, err);
    }
    if (!s.allowUnauthenticated()) {
      err.println(
          "llm-api-router: refusing to listen on "
              + config.server().host()
              + " without server.api_keys: anyone who reaches this address could spend your"
              + " provider keys. Set server.api_keys, bind 127.0.0.1, or pass"
              + " --allow-unauthenticated.");
      return Cli.FAILED;
    }
    err.println(
        "llm-api-router: WARNING: serving on "
            + config.server().host()
            + " without gateway authentication (--allow-unauthenticated)");
    return run(config, flags, s.config(), version, env, out, err);
  }

  /**
   * A reloaded version, refused when it would leave a router bound beyond loopback without gateway
   * keys: the start refuses that, and a reload must not open the door the start kept shut. The
   * address is the one bound at start (a new {@code server.host} waits for a restart).
   *
   * @throws IllegalArgumentException naming {@code server.api_keys}: the reload is rejected and the
   *     running config stays (see {@link Router#watch(Path, Map, UnaryOperator)})
   */
  private static RouterConfig keepsGatewayKeys(RouterConfig reloaded, boolean keysRequired) {
    if (keysRequired && reloaded.server().apiKeys().isEmpty()) {
      throw new IllegalArgumentException(
          "server.api_keys: must not be emptied while serving beyond loopback: anyone who"
              + " reaches the address could spend your provider keys (restart with"
              + " --allow-unauthenticated to serve without them)");
    }
    return reloaded;
  }

  /** The config with {@code --host}, {@code --port} and {@code --log-dir} applied. */
  private static RouterConfig withFlags(Command.Serve s, RouterConfig loaded) {
    ServerSettings server = loaded.server();
    if (s.host() != null) {
      server = server.withHost(s.host());
    }
    if (s.port() != null) {
      server = server.withPort(s.port());
    }
    RouterConfig config = loaded.withServer(server);
    return s.logDir() == null ? config : config.withLogDir(s.logDir());
  }

  /** Serves until shutdown, reloading {@code file} whenever it changes. */
  private static int run(
      RouterConfig config,
      UnaryOperator<RouterConfig> flags,
      Path file,
      ConfigWatcher.Version version,
      Map<String, String> env,
      PrintStream out,
      PrintStream err) {
    StartFailure failure =
        new StartFailure(
            config.server().host(),
            config.server().port(),
            config.logDir(),
            StartFailure.Fixes.SERVE);
    // Checked before the port is bound, which comes before the log files: a failed start leaves
    // nothing behind.
    Optional<String> logFolder = failure.logFolderProblem();
    if (logFolder.isPresent()) {
      err.println("llm-api-router: cannot start: " + logFolder.get());
      return Cli.FAILED;
    }
    Router router;
    try {
      router = Router.start(config);
    } catch (IOException | RuntimeException e) {
      err.println("llm-api-router: cannot start: " + failure.describe(e));
      return Cli.FAILED;
    }
    try {
      router.watch(file, env, flags, version);
    } catch (IOException e) {
      err.println("llm-api-router: warning: cannot watch " + file + " for changes: " + e);
    }
    // server.shutdown_grace applies at once on a reload: the drain reads it when the signal comes.
    StopDeadline deadline = new StopDeadline();
    LongSupplier grace = () -> router.config().server().shutdownGrace().toNanos();
    CountDownLatch stopped =
        stopOnShutdown(
            () -> drain(router, err), () -> grace.getAsLong() + SHUTDOWN_SLACK_NANOS, deadline);
    // A thread ended by an OutOfMemoryError stops the process through the same drain, sooner.
    new OutOfMemoryStop(
            () -> grace.getAsLong() + OutOfMemoryStop.SLACK_NANOS, deadline, System::exit)
        .install();
    // One line, as a supervisor or a script reads it: where, how many providers, the memory
    // budget's default (a quarter of the heap) and, last, the log's path. Nothing on stderr: a
    // normal start prints no line there.
    out.printf(
        "llm-api-router %s listening on http://%s:%d (openai: %s, anthropic: %s); bodies held"
            + " at once: at most %d MiB (server.max_buffered_bytes); request log %s%n",
        Version.get(),
        ServerSettings.hostForUrl(config.server().host()),
        router.port(),
        providers(config.openai().size()),
        providers(config.anthropic().size()),
        config.server().maxBufferedBytes() >> 20,
        router.logFile());
    out.flush();
    // After the start, off its path: the JVM's management beans take a few milliseconds to load.
    Thread.ofVirtual().name("old-generation-sweep").start(OldGenerationSweep::install);
    await(stopped);
    return Cli.OK;
  }

  private static String providers(int count) {
    return count == 1 ? "1 provider" : count + " providers";
  }

  /**
   * The drain after SIGTERM or Ctrl-C, said in two lines on stderr (not through java.util.logging,
   * which the JVM resets in a shutdown hook of its own): when it starts and how it ended.
   *
   * @return true when nothing had to be cut
   */
  static boolean drain(Router router, PrintStream err) {
    Duration grace = router.config().server().shutdownGrace();
    err.println(
        "llm-api-router: draining: no new requests; "
            + router.inFlight()
            + " in flight, waiting up to "
            + grace.toMillis() / 1000.0
            + " s (server.shutdown_grace)");
    err.flush();
    boolean clean;
    try {
      clean = router.close(grace);
    } catch (RuntimeException e) {
      // The log's final flush or sync failed: said here, as the console's handlers are gone by now
      // (the JDK resets logging when the shutdown starts).
      err.println(
          "llm-api-router: stopped: the request log could not be closed ("
              + e.getMessage()
              + "); exiting with status 1");
      err.flush();
      return false;
    }
    long lost = router.logRecordsLost();
    String records =
        router.logRecordsWritten()
            + " log records written and synced"
            + (lost > 0 ? ", " + lost + " lost (not written: see the lines above)" : "");
    err.println(
        clean && lost == 0
            ? "llm-api-router: stopped: every request and stream finished; " + records
            : clean
                ? "llm-api-router: stopped: every request and stream finished; "
                    + records
                    + "; exiting with status 1"
                : "llm-api-router: stopped: requests or streams still running after "
                    + grace.toMillis() / 1000.0
                    + " s were cut (each ended with an error in its protocol); "
                    + records
                    + "; exiting with status 1");
    err.flush();
    return clean && lost == 0;
  }

  /**
   * Registers the JVM shutdown hook (SIGTERM/SIGINT) that runs {@code onStop}. Called before the
   * "listening" line is printed: that line tells supervisors and scripts the process is ready, and
   * a SIGTERM sent right after it must already get the graceful drain and log flush.
   *
   * <p>A clean stop ends the process with status 0, as service managers expect of a requested stop
   * (the JVM's own status after SIGTERM is 143, which systemd counts as a failure); a stop that had
   * to cut requests, or that failed, ends it with 1, having said why on the console.
   *
   * @param onStop stops everything; true when nothing had to be cut
   * @return counted down once {@code onStop} has run
   */
  static CountDownLatch stopOnShutdown(BooleanSupplier onStop, Duration deadline) {
    long nanos = deadline.toNanos();
    return stopOnShutdown(onStop, () -> nanos, new StopDeadline());
  }

  /**
   * The same with a deadline read when the signal comes (a reloaded shutdown grace), in
   * nanoseconds, read without allocating: the stop may be one an OutOfMemoryError started. {@code
   * deadline} is made at start, not when the signal comes: a stop that hangs (a stuck upstream, a
   * dead thread waited for) must still end the process, or only kill -9 would.
   */
  static CountDownLatch stopOnShutdown(
      BooleanSupplier onStop, LongSupplier deadlineNanos, StopDeadline deadline) {
    CountDownLatch stopped = new CountDownLatch(1);
    DrainAwareLogManager.resetAfter(stopped); // the console stays until the drain is over
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  deadline.arm(deadlineNanos.getAsLong(), 143);
                  boolean clean = false;
                  try {
                    clean = onStop.getAsBoolean();
                  } finally {
                    stopped.countDown();
                    // halt, not exit: this is a shutdown hook; everything was flushed above.
                    Runtime.getRuntime().halt(clean && !deadline.failure() ? 0 : 1);
                  }
                },
                "llm-api-router-shutdown"));
    return stopped;
  }

  /**
   * How much longer than the grace period a stop after SIGTERM may take (the cut-off streams, the
   * log's final flush and sync), with room to spare. Past it the process halts.
   */
  static final Duration SHUTDOWN_SLACK = Duration.ofSeconds(60);

  private static final long SHUTDOWN_SLACK_NANOS = SHUTDOWN_SLACK.toNanos();

  /** Blocks the calling thread until the shutdown hook has run. */
  static void await(CountDownLatch stopped) {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
