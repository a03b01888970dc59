package dev.llmrouter.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a config file and hands every valid new version on; an invalid one is reported and
 * ignored, so the running config stays.
 *
 * <p>Two ways of noticing a change. The JDK's {@link WatchService} on the file's folder (editors
 * replace files rather than write them in place) answers at once when an event names the file. And
 * the file's {@link Stamp} (what it resolves to, its size and time) is compared after every event
 * in the folder, and once a second when none comes, for what no event names: a Kubernetes ConfigMap
 * or Secret volume swaps a {@code ..data} symlink and the file itself is never touched; a symlink
 * to a file in another folder is edited there; some network and container file systems (NFS, bind
 * mounts from another OS) deliver no events at all. Where the folder cannot be watched at all (no
 * inotify instance left, say), the stamps alone are compared, once a second.
 */
public final class ConfigWatcher implements AutoCloseable {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  /** Editors write in bursts; wait for the burst to end before reading. */
  private static final long SETTLE_MILLIS = 150;

  /** A file that keeps changing is read after this long anyway. */
  private static final long MAX_SETTLE_MILLIS = 1000;

  /** How often the stamp is compared when no event came: one {@code stat} a second. */
  private static final long CHECK_MILLIS = 1000;

  private final Path file;
  private final Map<String, String> env;
  private final Consumer<RouterConfig> onValid;
  private final Consumer<List<String>> onInvalid;

  /** Null where the folder cannot be watched: the stamps alone are compared then. */
  private final WatchService watcher;

  private final Thread thread;

  /** The secret files the version last read refers to. */
  private List<Path> secretFiles;

  /** The stamps of the version last read (or the one running when watching started). */
  private List<Stamp> seen;

  private ConfigWatcher(
      Path file,
      Map<String, String> env,
      Consumer<RouterConfig> onValid,
      Consumer<List<String>> onInvalid,
      boolean watchFolder,
      Version running) {
    this.file = located(file);
    this.env = env;
    this.onValid = onValid;
    this.onInvalid = onInvalid;
    this.watcher = watchFolder ? watchFolder(this.file) : null;
    this.secretFiles = secretFilesOf(this.file);
    this.seen = running != null ? running.stamps : stamps();
    this.thread = Thread.ofPlatform().name("config-watcher").daemon(true).start(this::run);
  }

  /**
   * The folder's watch service, or null (said on the console) when the folder cannot be watched.
   */
  private static WatchService watchFolder(Path file) {
    WatchService service = null;
    try {
      service = FileSystems.getDefault().newWatchService();
      file.getParent()
          .register(
              service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      return service;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      if (service != null) {
        try {
          service.close();
        } catch (IOException ignored) {
          // it never worked
        }
      }
      CONSOLE.log(
          System.Logger.Level.WARNING,
          "cannot watch "
              + file.getParent()
              + " for changes ("
              + e.getMessage()
              + "); checking "
              + file.getFileName()
              + " once a second instead");
      return null;
    }
  }

  /**
   * Which version of a config file (and of the secret files it reads) is on disk now: taken just
   * before the file is read, it tells the watcher started later what the running config came from,
   * so that an edit made in between (while the server starts) is read at the first check instead of
   * being taken for the running one.
   */
  public static final class Version {
    private final List<Stamp> stamps;

    private Version(List<Stamp> stamps) {
      this.stamps = stamps;
    }
  }

  /**
   * {@code file} made absolute, and nothing else: the system resolves its links and {@code ..} at
   * every use, as when it was read. Normalising the text would read {@code lnk/../c.json} as {@code
   * ./c.json}, another file than the one served; resolving the links once would pin a folder that a
   * deploy swaps ({@code current -> releases/v2}).
   */
  private static Path located(Path file) {
    return file.toAbsolutePath();
  }

  /** The version of {@code file} on disk now. */
  public static Version versionOf(Path file) {
    Path normalized = located(file);
    List<Stamp> stamps = new ArrayList<>();
    stamps.add(Stamp.of(normalized));
    for (Path secret : secretFilesOf(normalized)) {
      stamps.add(Stamp.of(secret));
    }
    return new Version(List.copyOf(stamps));
  }

  /** Starts watching {@code file}; close the watcher to stop. */
  public static ConfigWatcher start(
      Path file,
      Map<String, String> env,
      Consumer<RouterConfig> onValid,
      Consumer<List<String>> onInvalid) {
    return start(file, env, onValid, onInvalid, null);
  }

  /**
   * The same for a running config read from {@code running} (see {@link #versionOf}); null: the
   * version on disk now.
   */
  public static ConfigWatcher start(
      Path file,
      Map<String, String> env,
      Consumer<RouterConfig> onValid,
      Consumer<List<String>> onInvalid,
      Version running) {
    return new ConfigWatcher(file, env, onValid, onInvalid, true, running);
  }

  /** The same with the stamps alone, as where the folder cannot be watched (for tests). */
  static ConfigWatcher startComparingStampsOnly(
      Path file,
      Map<String, String> env,
      Consumer<RouterConfig> onValid,
      Consumer<List<String>> onInvalid) {
    return new ConfigWatcher(file, env, onValid, onInvalid, false, null);
  }

  /**
   * What tells one version of the file from another without reading it. Read through symlinks:
   * {@code fileKey} (device and inode on Linux) changes when a swapped link leads to another file,
   * size and time when the file is written. {@link #ABSENT} while it cannot be read.
   */
  record Stamp(Object fileKey, long size, FileTime modified) {
    static final Stamp ABSENT = new Stamp(null, -1, null);

    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.fileKey(), a.size(), a.lastModifiedTime());
      } catch (IOException | SecurityException e) {
        return ABSENT;
      }
    }
  }

  /** The config file's stamp, then each secret file's. */
  private List<Stamp> stamps() {
    List<Stamp> stamps = new ArrayList<>(1 + secretFiles.size());
    stamps.add(Stamp.of(file));
    for (Path secret : secretFiles) {
      stamps.add(Stamp.of(secret));
    }
    return stamps;
  }

  /** The secret files {@code config} refers to; none when it cannot be read (it is reported). */
  private static List<Path> secretFilesOf(Path config) {
    try {
      return EnvExpander.secretFiles(ConfigLoader.readText(config));
    } catch (IOException | UncheckedIOException | SecurityException e) {
      return List.of();
    }
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = next(TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS));
        boolean named = key != null && namesTheFile(key);
        List<Stamp> now = stamps();
        if (!named && now.equals(seen)) {
          if (unwrittenSince != 0 && System.nanoTime() - unwrittenSince > UNWRITTEN_GRACE_NANOS) {
            unwrittenSince = 0;
            reload(); // still empty or missing: the state it is in now, refused as such
          }
          continue; // another entry of the folder (the request log, say), or nothing
        }
        settle(now);
        secretFiles = secretFilesOf(file);
        seen = stamps();
        if (emptyOrMissing()) {
          // Between a truncation and its write, or a delete and the new file (a slow
          // "jq ... > config.json"): not a version yet, so no rejection to count or alert on.
          unwrittenSince = System.nanoTime();
          continue;
        }
        unwrittenSince = 0;
        reload();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: stop watching
    }
  }

  /** When the file was found empty or missing, with no version since; 0 when it was not. */
  private long unwrittenSince;

  /** How long an empty or missing file may stay so before it is refused as a version. */
  private static final long UNWRITTEN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

  private boolean emptyOrMissing() {
    try {
      return !Files.exists(file) || Files.size(file) == 0;
    } catch (IOException e) {
      return false; // unreadable, say: the load says why
    }
  }

  /** The folder's next events within {@code nanos}, or null; only a wait without a watch. */
  private WatchKey next(long nanos) throws InterruptedException {
    if (watcher != null) {
      return watcher.poll(nanos, TimeUnit.NANOSECONDS);
    }
    TimeUnit.NANOSECONDS.sleep(nanos); // woken early by close()'s interrupt
    return null;
  }

  /** Whether the key's events name the config file; consumes them and re-arms the key. */
  private boolean namesTheFile(WatchKey key) {
    boolean named = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      named |= event.context() instanceof Path p && file.getFileName().equals(p);
    }
    key.reset();
    return named;
  }

  /**
   * Waits until the file has been quiet for {@link #SETTLE_MILLIS}, at most {@link
   * #MAX_SETTLE_MILLIS}: no event naming it and no new stamp, its own or a secret file's. Other
   * entries' events do not count: the folder may also hold the request log, which changes with
   * every request and would otherwise postpone a reload forever.
   *
   * @param stamps what the files look like now
   */
  private void settle(List<Stamp> stamps) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS);
    long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
    while (true) {
      long wait = Math.min(quietUntil, deadline) - System.nanoTime();
      if (wait <= 0) {
        return;
      }
      WatchKey more = next(wait);
      boolean named = more != null && namesTheFile(more);
      List<Stamp> now = stamps();
      if (named || !now.equals(stamps)) {
        stamps = now;
        quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
      }
    }
  }

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
      if (watcher != null) {
        watcher.close();
      }
    } catch (IOException e) {
      // closing on the way out
    }
    thread.interrupt();
  }
}
