package dev.llmrouter.stats;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request logs of a folder, in the order they were written.
 *
 * <p>The router writes {@code router_<YYYYMMDD_HHMMSS>_<session>.jsonl} and, once that file is
 * rotated, {@code ..._<session>_2.jsonl}, {@code _3}, and so on. Beside each it writes {@code
 * ..._errors.jsonl}, whose lines are copies of lines in the main file: reading it too would count
 * every failure twice, so it is left out (its name never matches, rotated or not).
 */
public final class LogFiles {

  private static final Pattern NAME =
      Pattern.compile("router_(\\d{8}_\\d{6})_([^_.]+)(?:_(\\d{1,9}))?\\.jsonl");

  /**
   * Start time, then session (two routers started in the same second), then rotation number: the
   * unnumbered first file is number 1. Plain name order would put {@code _10} before {@code _2}.
   */
  private static final Comparator<Path> WRITTEN =
      Comparator.comparing((Path p) -> group(p, 1))
          .thenComparing(p -> group(p, 2))
          .thenComparingInt(LogFiles::sequence);

  private LogFiles() {}

  /**
   * The main request logs in {@code dir}, oldest first.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such folder
   * @throws java.nio.file.NotDirectoryException when it is a file
   */
  public static List<Path> in(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path p : all) {
        if (isRequestLog(p) && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    }
    files.sort(WRITTEN);
    return files;
  }

  static boolean isRequestLog(Path file) {
    return NAME.matcher(file.getFileName().toString()).matches();
  }

  private static String group(Path p, int group) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? m.group(group) : "";
  }

  private static int sequence(Path p) {
    String n = group(p, 3);
    return n == null || n.isEmpty() ? 1 : Integer.parseInt(n);
  }
}
