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

  private ConsoleCapture() {}

  public static ConsoleCapture start() {
    ConsoleCapture capture = new ConsoleCapture();
    Logger.getLogger(LOGGER).addHandler(capture);
    return capture;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(record.getMessage());
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
    Logger.getLogger(LOGGER).removeHandler(this);
  }
}
