package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The hand-built console line is the line SimpleFormatter prints with the same pattern. */
class ConsoleFormatTest {

  private static LogRecord record(Level level, String message, Instant at, Throwable thrown) {
    LogRecord r = new LogRecord(level, message);
    r.setInstant(at);
    r.setThrown(thrown);
    return r;
  }

  @Test
  void printsWhatSimpleFormatterPrintsWithTheSamePattern() {
    String before = System.getProperty("java.util.logging.SimpleFormatter.format");
    System.setProperty("java.util.logging.SimpleFormatter.format", ConsoleFormat.PATTERN);
    try {
      SimpleFormatter jdk = new SimpleFormatter();
      ConsoleFormat ours = new ConsoleFormat();
      Instant t = Instant.parse("2026-11-25T11:37:54.419Z");
      for (LogRecord r :
          new LogRecord[] {
            record(Level.INFO, "200 openai POST /openai/chat/completions 1.2ms", t, null),
            record(Level.WARNING, "provider a answered 401", t.plusMillis(900), null),
            record(Level.INFO, "next second", t.plusSeconds(1), null),
            record(Level.SEVERE, "failed", t.plusSeconds(3600), new IllegalStateException("x")),
          }) {
        assertThat(ours.format(r)).isEqualTo(jdk.format(r));
      }
    } finally {
      if (before == null) {
        System.clearProperty("java.util.logging.SimpleFormatter.format");
      } else {
        System.setProperty("java.util.logging.SimpleFormatter.format", before);
      }
    }
  }

  /** Records each write it is given, as System.err would make each a system call. */
  private static final class Writes extends OutputStream {
    final List<String> each = new ArrayList<>();
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      each.add(new String(b, off, len, StandardCharsets.UTF_8));
    }
  }

  private static final String LINE =
      "200 openai POST /openai/chat/completions gpt-4o-mini -> mock-ok 1.2ms in 214 B out 620 B";

  @Test
  void aBatchsLinesReachTheConsoleInOneWriteAtItsFlush() {
    Writes err = new Writes();
    ConsoleFormat.BatchedConsole console = new ConsoleFormat.BatchedConsole(err, () -> true);
    for (int i = 0; i < 50; i++) {
      console.publish(new LogRecord(Level.INFO, LINE + " #" + i));
    }
    assertThat(err.each).isEmpty();
    console.flush();
    assertThat(err.each).hasSize(1);
    assertThat(err.each.getFirst().lines()).hasSize(50).last().asString().endsWith(LINE + " #49");
  }

  @Test
  void aLineOutsideABatchReachesTheConsoleAtOnce() {
    Writes err = new Writes();
    ConsoleFormat.BatchedConsole console = new ConsoleFormat.BatchedConsole(err, () -> false);
    console.publish(new LogRecord(Level.WARNING, "provider a answered 401"));
    assertThat(err.each).hasSize(1).first().asString().contains("WARNING provider a answered 401");
    console.close();
    assertThat(err.closed).as("stderr left open, as ConsoleHandler leaves it").isFalse();
  }
}
