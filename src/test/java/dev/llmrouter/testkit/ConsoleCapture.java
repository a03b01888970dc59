package dev.llmrouter.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the router's console lines (its {@code System.Logger}, backed by JUL) while open. */
public final class ConsoleCapture extends Handler implements AutoCloseable {

  private static final String LOGGER = "llm-api-router";
  private final List<String> lines = new ArrayList<>();

  /**
   * Held while capturing: JUL keeps named loggers only weakly, so a logger that nothing else holds
   * yet (the router's first System.Logger call comes later) can be collected with this handler, and
   * the router then logs through a new one that has none.
   */
  private final Logger logger = Logger.getLogger(LOGGER);

  private ConsoleCapture() {}

  public static ConsoleCapture start() {
    ConsoleCapture capture = new ConsoleCapture();
    capture.logger.addHandler(capture);
    return capture;
  }

  /** The same lines, each after its level: {@code WARNING provider a: ...}. */
  private final List<String> leveled = new ArrayList<>();

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(record.getMessage());
    leveled.add(record.getLevel().getName() + " " + record.getMessage());
    notifyAll();
  }

  public synchronized List<String> leveled() {
    return List.copyOf(leveled);
  }

  /** Waits for a line containing {@code part}; fails the test after {@code timeout}. */
  public String await(String part, java.time.Duration timeout) {
    return await(part, 1, timeout);
  }

  /**
   * Waits for the {@code n}th line containing {@code part} (from 1); fails the test after {@code
   * timeout}.
   */
  public synchronized String await(String part, int n, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int seen = 0;
      for (String line : lines) {
        if (line.contains(part) && ++seen == n) {
          return line;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "no console line #" + n + " with '" + part + "' within " + timeout + ": " + lines);
      }
      try {
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A snapshot of the lines so far. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void flush() {}

  /** Stops collecting. */
  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
