package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
}
