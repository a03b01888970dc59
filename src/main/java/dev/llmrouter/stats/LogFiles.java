package dev.llmrouter.stats;

import dev.llmrouter.logging.LogName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request logs of a folder, in the order they were written.
 *
 * <p>The router writes {@code router_<YYYYMMDD_HHMMSS>_<session>.jsonl} and, once that file is
 * rotated, {@code ..._<session>_2.jsonl}, {@code _3}, and so on. Beside each it writes {@code
 * ..._errors.jsonl}, whose lines are copies of lines in the main file: reading it too would count
 * every failure twice, so it is left out (its name never matches, rotated or not).
 */
public final class LogFiles {

  private LogFiles() {}

  /**
   * The main request logs in {@code dir}, oldest first.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such folder
   * @throws java.nio.file.NotDirectoryException when it is a file
   */
  public static List<Path> in(Path dir) throws IOException {
    Map<LogName, Path> files = new HashMap<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path p : all) {
        if (isRequestLog(p) && Files.isRegularFile(p)) {
          files.put(name(p), p);
        }
      }
    }
    List<Path> oldestFirst = new ArrayList<>(files.size());
    for (LogName n : LogName.inWrittenOrder(files.keySet())) {
      oldestFirst.add(files.get(n));
    }
    return oldestFirst;
  }

  /** A main request log of the router (not an errors file: its lines are in the main one). */
  static boolean isRequestLog(Path file) {
    LogName name = name(file);
    return name != null && !name.errors();
  }

  private static LogName name(Path p) {
    return LogName.parse(p.getFileName().toString());
  }
}
