package dev.llmrouter.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a config file with the JDK's {@link WatchService} (on its folder: editors replace files
 * rather than write them in place) and hands every valid new version on; an invalid one is reported
 * and ignored, so the running config stays.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  /** Editors write in bursts; wait for the burst to end before reading. */
  private static final long SETTLE_MILLIS = 150;

  private final Path file;
  private final Map<String, String> env;
  private final Consumer<RouterConfig> onValid;
  private final Consumer<List<String>> onInvalid;
  private final WatchService watcher;
  private final Thread thread;

  private ConfigWatcher(
      Path file,
      Map<String, String> env,
      Consumer<RouterConfig> onValid,
      Consumer<List<String>> onInvalid)
      throws IOException {
    this.file = file.toAbsolutePath().normalize();
    this.env = env;
    this.onValid = onValid;
    this.onInvalid = onInvalid;
    this.watcher = FileSystems.getDefault().newWatchService();
    this.file
        .getParent()
        .register(
            watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    this.thread = Thread.ofPlatform().name("config-watcher").daemon(true).start(this::run);
  }

  /** Starts watching {@code file}; close the watcher to stop. */
  public static ConfigWatcher start(
      Path file,
      Map<String, String> env,
      Consumer<RouterConfig> onValid,
      Consumer<List<String>> onInvalid)
      throws IOException {
    return new ConfigWatcher(file, env, onValid, onInvalid);
  }

  private void run() {
    try {
      while (true) {
        if (!isOurs(watcher.take())) {
          continue;
        }
        drainBurst();
        reload();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: stop watching
    }
  }

  /** Whether the key's events touch the config file; consumes them and re-arms the key. */
  private boolean isOurs(WatchKey key) {
    boolean ours = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      ours |= event.context() instanceof Path p && file.getFileName().equals(p);
    }
    key.reset();
    return ours;
  }

  /**
   * Waits until the config file has been quiet for {@link #SETTLE_MILLIS}, at most {@link
   * #MAX_SETTLE_MILLIS}. Only the file's own events count: the folder may also hold the request
   * log, which changes with every request and would otherwise postpone a reload forever.
   */
  private void drainBurst() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS);
    long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    while (true) {
      long now = System.nanoTime();
      long wait = Math.min(quietUntil, deadline) - now;
      if (wait <= 0) {
        return;
      }
      WatchKey more = watcher.poll(wait, TimeUnit.NANOSECONDS);
      if (more != null && isOurs(more)) {
        quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
      }
    }
  }

  /** A file that keeps changing is read after this long anyway. */
  private static final long MAX_SETTLE_MILLIS = 1000;

  private void reload() {
    try {
      onValid.accept(
          ConfigLoader.load(
              file,
              env,
              warning ->
                  CONSOLE.log(System.Logger.Level.WARNING, "config " + file + ": " + warning)));
    } catch (ConfigException e) {
      onInvalid.accept(e.problems());
    } catch (RuntimeException e) {
      // A bug must not end the watching silently: later edits would be ignored without a word.
      onInvalid.accept(List.of(file + ": could not be loaded: " + e.getClass().getSimpleName()));
    }
  }

  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      // closing on the way out
    }
    thread.interrupt();
  }
}
