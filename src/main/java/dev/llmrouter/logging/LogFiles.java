package dev.llmrouter.logging;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pair of files the request log writes now ({@code router_<time>_<session>.jsonl} and its
 * {@code _errors.jsonl}), their successors after a rotation ({@code
 * router_<time>_<session>_<n>.jsonl}, n = 2, 3...), and the pruning of old pairs.
 *
 * <p>Only the writer thread writes, rotates and prunes (and the closing thread, once the writer has
 * ended); {@link #file()} and {@link #errorsFile()} may be read from any thread.
 */
final class LogFiles {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

  private final Path dir;
  private final String session;
  private int sequence = 1;
  private volatile Pair current;

  /** Main-file lines lost when a rotated pair was closed, not yet reported by a flush. */
  private int lostInClosing;

  private IOException closingFailure;

  LogFiles(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    this.session = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.current = Pair.open(dir, prefix());
  }

  Path file() {
    return current.allFile;
  }

  Path errorsFile() {
    return current.errorsFile;
  }

  /** Where every line goes. */
  OutputStream all() {
    return current.all;
  }

  /** Where failures' lines go too. */
  OutputStream errors() {
    return current.errors;
  }

  /** Bytes written to the current main file: counted, so checking it costs no system call. */
  long size() {
    return current.all.size();
  }

  /**
   * Opens the next pair and flushes, syncs and closes the current one. When the next cannot be
   * opened the current pair stays and this throws: nothing is lost.
   */
  void rotate() throws IOException {
    sequence++;
    Pair next;
    try {
      next = Pair.open(dir, prefix());
    } catch (IOException e) {
      sequence--;
      throw e;
    }
    Pair old = current;
    current = next;
    try {
      old.syncAndClose();
    } catch (LineFile.LinesLost e) {
      // The batch's lines before the rotation were still held: the writer reports them lost with
      // its next flush, as its own.
      lostInClosing += e.lines;
      closingFailure = e;
    } catch (IOException e) {
      CONSOLE.log(System.Logger.Level.WARNING, "request log: closing " + old.allFile + ": " + e);
    }
  }

  /**
   * Deletes the oldest pairs of the router's own naming in the directory (those of earlier runs
   * too) until {@code keep} pairs are left, the current one among them; 0 keeps all. A pair is
   * deleted with both its files. Pairs are ordered as they were written ({@link
   * LogName#inWrittenOrder}).
   */
  void prune(int keep) {
    if (keep <= 0) {
      return;
    }
    // Only the router's own names (LogName): another program's logs, a user's notes are never
    // touched. Newest first.
    Map<LogName, List<Path>> pairs = new HashMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "router_*.jsonl")) {
      for (Path p : entries) {
        LogName name = LogName.parse(p.getFileName().toString());
        if (name != null && Files.isRegularFile(p)) {
          pairs.computeIfAbsent(name.pair(), k -> new ArrayList<>()).add(p);
        }
      }
    } catch (IOException | RuntimeException e) {
      CONSOLE.log(System.Logger.Level.WARNING, "request log: cannot list " + dir + ": " + e);
      return;
    }
    LogName currentKey = LogName.parse(current.allFile.getFileName().toString());
    List<LogName> newestFirst = LogName.inWrittenOrder(pairs.keySet()).reversed();
    int kept = 1; // the current pair, wherever a clock change sorted it
    for (LogName pair : newestFirst) {
      if (pair.equals(currentKey)) {
        continue;
      }
      if (kept < keep) {
        kept++;
        continue;
      }
      for (Path p : pairs.get(pair)) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          CONSOLE.log(System.Logger.Level.WARNING, "request log: cannot delete " + p + ": " + e);
        }
      }
    }
  }

  /**
   * Writes the whole lines held for both files.
   *
   * @throws LineFile.LinesLost when lines of the main file were lost (each a record); a loss in the
   *     errors file (copies of main lines) is a plain IOException
   */
  void flush() throws IOException {
    Pair p = current;
    LineFile.LinesLost lost = null;
    if (lostInClosing > 0) {
      lost = new LineFile.LinesLost(lostInClosing, closingFailure);
      lostInClosing = 0;
      closingFailure = null;
    }
    try {
      p.all.flush();
    } catch (LineFile.LinesLost e) {
      lost =
          lost == null
              ? e
              : new LineFile.LinesLost(lost.lines + e.lines, (IOException) e.getCause());
    }
    try {
      p.errors.flush();
    } catch (LineFile.LinesLost e) {
      if (lost == null) {
        throw new IOException(p.errorsFile + ": " + e.getMessage(), e);
      }
    }
    if (lost != null) {
      throw lost;
    }
  }

  void syncAndClose() throws IOException {
    current.syncAndClose();
  }

  private String prefix() {
    String time = LocalDateTime.now(ZoneId.systemDefault()).format(STAMP);
    return new LogName(time, session, sequence, false).prefix();
  }

  /** One main file and its errors file, open for appending. */
  private record Pair(
      Path allFile,
      Path errorsFile,
      FileOutputStream allRaw,
      FileOutputStream errorsRaw,
      LineFile all,
      LineFile errors) {

    static Pair open(Path dir, String prefix) throws IOException {
      Path allFile = createPrivate(dir.resolve(prefix + ".jsonl"));
      Path errorsFile;
      try {
        errorsFile = createPrivate(dir.resolve(prefix + "_errors.jsonl"));
      } catch (IOException e) {
        Files.deleteIfExists(allFile); // no half pair left behind
        throw e;
      }
      FileOutputStream allRaw = new FileOutputStream(allFile.toFile(), true);
      FileOutputStream errorsRaw = new FileOutputStream(errorsFile.toFile(), true);
      return new Pair(
          allFile,
          errorsFile,
          allRaw,
          errorsRaw,
          new LineFile(sink(allRaw), 0),
          new LineFile(sink(errorsRaw), 0));
    }

    private static LineFile.Sink sink(FileOutputStream raw) {
      return new LineFile.Sink() {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          raw.write(b, off, len);
        }

        @Override
        public void truncate(long size) throws IOException {
          raw.getChannel().truncate(size); // opened to append: the next write goes to the new end
        }
      };
    }

    /**
     * Both files' lines written, synced, closed.
     *
     * @throws LineFile.LinesLost when main-file lines (records) were lost; a loss in the errors
     *     file only is a plain IOException
     */
    void syncAndClose() throws IOException {
      LineFile.LinesLost mainLost = null;
      IOException errorsLost = null;
      try {
        all.flush();
      } catch (LineFile.LinesLost e) {
        mainLost = e;
      }
      try {
        errors.flush();
      } catch (LineFile.LinesLost e) {
        errorsLost = new IOException(errorsFile + ": " + e.getMessage(), e);
      }
      try (FileOutputStream a = allRaw;
          FileOutputStream e = errorsRaw) {
        a.getFD().sync();
        e.getFD().sync();
      }
      if (mainLost != null) {
        throw mainLost;
      }
      if (errorsLost != null) {
        throw errorsLost;
      }
    }
  }

  private static Path createPrivate(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createFile(file);
  }
}
