package dev.llmrouter.routing;

import java.time.Duration;

/** Delay before retrying the same provider: 100 ms doubling per retry, capped at 2 s, jittered. */
final class Backoff {
  static final Duration BASE = Duration.ofMillis(100);
  static final Duration CAP = Duration.ofSeconds(2);

  private Backoff() {}

  /**
   * @param retryIndex 0 for the first retry
   * @param random uniform in [0, 1): "equal jitter" keeps at least half the delay, so retries of
   *     many requests spread out without ever retrying at once
   */
  static Duration delay(int retryIndex, double random) {
    long base = BASE.toMillis() << Math.min(retryIndex, 20);
    long capped = Math.min(base, CAP.toMillis());
    long jittered = capped / 2 + (long) (random * (capped - capped / 2));
    return Duration.ofMillis(jittered);
  }
}
