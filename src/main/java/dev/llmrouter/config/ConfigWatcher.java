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
        WatchKey key = watcher.take();
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          ours |= event.context() instanceof Path p && file.getFileName().equals(p);
        }
        key.reset();
        if (!ours) {
          continue;
        }
        drainBurst();
        reload();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: stop watching
    }
  }

  private void drainBurst() throws InterruptedException {
    WatchKey more;
    while ((more = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
      more.pollEvents();
      more.reset();
    }
  }

  private void reload() {
    try {
      onValid.accept(ConfigLoader.load(file, env));
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
