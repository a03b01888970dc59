package dev.llmrouter.cli;

import dev.llmrouter.logging.JsonlRequestLog;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The console's line format, {@code 2026-11-25 11:37:54 INFO <message>}: what {@link
 * java.util.logging.SimpleFormatter} prints with {@code %1$tF %1$tT %4$s %5$s%6$s%n}, built by
 * hand. The router logs one line per request; SimpleFormatter runs {@code String.format} over a
 * ZonedDateTime for each, which a JFR profile showed as 4 % of the router's CPU at c=32
 * (bench/README.md). The time is formatted once per second.
 */
final class ConsoleFormat extends Formatter {

  static final String PATTERN = "%1$tF %1$tT %4$s %5$s%6$s%n";

  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final ZoneId zone = ZoneId.systemDefault();
  private long second = Long.MIN_VALUE;
  private String stamp = "";

  /**
   * Sets the format for the JDK's own formatter (for handlers made later) and puts this one on the
   * root console handler, unless the operator configured logging (a format or a config file).
   */
  static void install() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") != null
        || System.getProperty("java.util.logging.config.file") != null
        || System.getProperty("java.util.logging.config.class") != null) {
      return;
    }
    System.setProperty("java.util.logging.SimpleFormatter.format", PATTERN);
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      if (h instanceof ConsoleHandler) {
        root.removeHandler(h);
        root.addHandler(BatchedConsole.like(h));
      }
    }
  }

  /**
   * The root console handler in place of the JDK's {@link ConsoleHandler}, which flushes stderr
   * after every record: one write system call per request line, 1.5 % of the router's CPU at c=32
   * (bench/README). Lines from the request log's writer thread are flushed once per batch instead:
   * the writer flushes the console's handlers after each ({@link JsonlRequestLog}). Every other
   * line is flushed at once.
   */
  static final class BatchedConsole extends StreamHandler {
    /**
     * A batch's lines held until the batch's flush. Without it the batch flush saved nothing: the
     * handler's encoder hands its bytes on whenever its buffer fills, and that buffer is sized to
     * the line (512 bytes for a request line), while {@code System.err} flushes every write it
     * gets. A write system call about every fourth request line was 0.7 % of the router's samples
     * at c=32 (async-profiler, bench/README.md).
     */
    private static final int BATCH_BYTES = 1 << 15;

    private final BooleanSupplier held;

    BatchedConsole(OutputStream to, BooleanSupplier held) {
      super(new BufferedOutputStream(to, BATCH_BYTES), new ConsoleFormat());
      this.held = held;
    }

    /** With what logging.properties gave the JDK's handler: level, filter, encoding. */
    static BatchedConsole like(Handler jdk) {
      BatchedConsole batched = new BatchedConsole(System.err, JsonlRequestLog::onWriterThread);
      batched.setLevel(jdk.getLevel());
      batched.setFilter(jdk.getFilter());
      batched.setErrorManager(jdk.getErrorManager());
      try {
        batched.setEncoding(jdk.getEncoding());
      } catch (java.io.UnsupportedEncodingException e) {
        // the JDK's handler runs with it: it is supported
      }
      return batched;
    }

    @Override
    public synchronized void publish(LogRecord record) {
      super.publish(record);
      if (!held.getAsBoolean()) {
        flush();
      }
    }

    /** Like ConsoleHandler's: flushes, and leaves stderr open. */
    @Override
    public synchronized void close() {
      flush();
    }
  }

  @Override
  public synchronized String format(LogRecord record) {
    long epochSecond = record.getInstant().getEpochSecond();
    if (epochSecond != second) {
      second = epochSecond;
      stamp = SECOND.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone));
    }
    String message = formatMessage(record);
    StringBuilder line = new StringBuilder(stamp.length() + message.length() + 16);
    line.append(stamp)
        .append(' ')
        .append(record.getLevel().getLocalizedName())
        .append(' ')
        .append(message);
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      try (PrintWriter out = new PrintWriter(trace)) {
        out.println();
        record.getThrown().printStackTrace(out);
      }
      line.append(trace);
    }
    return line.append(System.lineSeparator()).toString();
  }
}
