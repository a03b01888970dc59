package dev.llmrouter.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary folders for routers that tests start outside JUnit's {@code @TempDir}: deleted when the
 * test JVM exits, not when the router closes, because many tests read a router's logs after closing
 * it. Without this every run of {@code make test} left thousands of log folders in /tmp.
 */
public final class TestTemp {
  private static final Set<Path> CREATED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(TestTemp::deleteAll));
  }

  private TestTemp() {}

  public static Path dir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      CREATED.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteAll() {
    for (Path dir : CREATED) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(TestTemp::deleteQuietly);
      } catch (IOException | UncheckedIOException e) {
        // A folder a test already removed, or one still being written: nothing to clean.
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Best effort at exit: a file still open on another OS is left for the OS to clean.
    }
  }
}
