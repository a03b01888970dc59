package dev.llmrouter.logging;

import java.util.Locale;

/** How a relayed stream ended, as the log and the console line name it. */
public enum StreamEnd {
  /** The protocol's final event was relayed. */
  COMPLETED,
  /** The upstream sent an error event, relayed as it is. */
  UPSTREAM_ERROR,
  /** The upstream's connection broke or closed before the final event. */
  UPSTREAM_BROKEN,
  /** No event within the provider's {@code stream_idle_timeout}. */
  IDLE_TIMEOUT,
  /** The client went away. */
  CLIENT_CANCELLED,
  /** Shutdown's grace ran out. */
  SHUTDOWN;

  public String logName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
