package dev.llmrouter.cli;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as people write them in the config: seconds, fractions only when needed. */
final class Durations {
  private Durations() {}

  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
  }
}
