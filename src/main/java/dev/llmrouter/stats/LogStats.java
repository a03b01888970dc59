package dev.llmrouter.stats;

import dev.llmrouter.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.JacksonIOException;

/**
 * {@code llm-api-router stats}: reads request logs once, front to back, and counts as it goes. No
 * line is kept after it is counted, so the heap it needs does not grow with the logs.
 *
 * <p>Speed: one parser per buffer of lines, not per line (a parser costs about as much to set up as
 * a short record costs to read). The buffer is trusted only when every record in it is whole, alone
 * on its line and well-formed; at the first doubt the buffer is read again line by line, each line
 * with a parser of its own, which is the reference for what counts as malformed. The files of a
 * rotated log are read side by side, a thread per core, and their counts merged in file order.
 */
public final class LogStats {

  private LogStats() {}

  /**
   * Counts the records of {@code files}, read in the order given.
   *
   * @param since records before it are left out; null counts all
   * @throws IOException when a file cannot be read (a bad line is skipped and counted, not thrown)
   */
  public static StatsReport read(List<Path> files, Instant since) throws IOException {
    return read(files, since, LineInput.BUFFER);
  }

  /** With a buffer of {@code bufferSize} bytes: tests make it small to cross its edges. */
  static StatsReport read(List<Path> files, Instant since, int bufferSize) throws IOException {
    int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
    if (threads <= 1) {
      return inOrder(files, since, bufferSize);
    }
    Tally total = new Tally(since);
    // Rotated files are read side by side, one tally each, merged in file order. At most a few
    // tallies wait to be merged at any time, however many files there are.
    Deque<Future<Tally>> reading = new ArrayDeque<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      try {
        for (Path file : files) {
          if (reading.size() > threads) {
            total.merge(done(reading.removeFirst()));
          }
          reading.addLast(pool.submit(() -> read(file, new Tally(since), bufferSize)));
        }
        while (!reading.isEmpty()) {
          total.merge(done(reading.removeFirst()));
        }
      } finally {
        pool.shutdownNow(); // after a failure: the files still queued are not read
      }
    }
    // A file with more names than a table's rows put some in its "(other)" row, where reading in
    // order would have given them rows of their own: the figures must not depend on how many
    // cores read them, so such logs are read again, in order (rare: over 200 models in a file).
    return total.overflowed() ? inOrder(files, since, bufferSize) : total.report(files);
  }

  /** Every file in turn into one tally: rows go to the first names met, in reading order. */
  private static StatsReport inOrder(List<Path> files, Instant since, int bufferSize)
      throws IOException {
    Tally total = new Tally(since);
    for (Path file : files) {
      read(file, total, bufferSize);
    }
    return total.report(files);
  }

  private static Tally done(Future<Tally> part) throws IOException {
    try {
      return part.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the logs");
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case IOException io -> throw io;
        case RuntimeException r -> throw r;
        case Error error -> throw error;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  private static Tally read(Path file, Tally tally, int bufferSize) throws IOException {
    long lines = 0; // before the current piece
    List<LogRecord> records = new ArrayList<>();
    try (LineInput in = new LineInput(Files.newInputStream(file), bufferSize)) {
      while (in.next()) {
        if (!in.inBuffer()) {
          lines++;
          line(
              () -> Json.FACTORY.createParser(ObjectReadContext.empty(), in.stream()),
              tally,
              file,
              lines);
          continue;
        }
        records.clear();
        long read = whole(in.buffer(), in.start(), in.end(), records);
        if (read >= 0) {
          records.forEach(tally::add);
          lines += read;
          continue;
        }
        byte[] b = in.buffer();
        for (int from = in.start(); from < in.end(); ) {
          int nl = LineInput.newline(b, from, in.end());
          int to = nl < 0 ? in.end() : nl;
          lines++;
          int start = from;
          line(
              () -> Json.FACTORY.createParser(ObjectReadContext.empty(), b, start, to - start),
              tally,
              file,
              lines);
          from = to + 1;
        }
      }
    }
    return tally;
  }

  /** Reads one line and counts it: a record, a malformed line, or nothing for a blank one. */
  private static void line(Supplier<JsonParser> parser, Tally tally, Path file, long line)
      throws IOException {
    try (JsonParser p = parser.get()) { // a stream's parser reads its first bytes at once
      LogRecord r = RecordParser.read(p);
      if (r != null) {
        tally.add(r);
      }
    } catch (JacksonIOException e) {
      throw e.getCause(); // the file, not the line: stop
    } catch (JacksonException | RecordParser.MalformedRecordException e) {
      tally.malformed(file, line);
    }
  }

  /**
   * Reads whole lines {@code b[from, to)} with one parser into {@code out}.
   *
   * @return how many lines they were, or -1 when any line is not exactly one record (the caller
   *     then reads them one by one, and {@code out} holds nothing it should count)
   */
  private static long whole(byte[] b, int from, int to, List<LogRecord> out) {
    try (JsonParser p = Json.FACTORY.createParser(ObjectReadContext.empty(), b, from, to - from)) {
      long lastLine = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        long line = p.currentTokenLocation().getLineNr();
        if (t != JsonToken.START_OBJECT || line <= lastLine) {
          return -1; // not an object, or a second value on a line
        }
        out.add(RecordParser.object(p));
        if (p.currentTokenLocation().getLineNr() != line) {
          return -1; // a record spread over lines: one of them was cut short
        }
        lastLine = line;
      }
      // Jackson counts a row at each newline it passes; the last one ends the run (unless the file
      // ended without one), and the row after it is where the parser stands.
      long rows = p.currentLocation().getLineNr();
      return b[to - 1] == '\n' ? rows - 1 : rows;
    } catch (JacksonException | RecordParser.MalformedRecordException e) {
      return -1; // an I/O failure cannot happen on an array; anything else: line by line
    }
  }
}
